"""The learner's own account pages: profile, data export and account deletion.

Log-in, sign-up, password and email pages come from django-allauth (templates/account/).
"""

import json
import logging

from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts.export import export_user_data
from accounts.forms import DeleteAccountForm, ProfileForm, RemindersForm
from accounts.models import Profile
from accounts.signals import client_ip, end_sessions

auth_log = logging.getLogger("mathpath.auth")

EXPORT_FILENAME = "mathpath-export.json"


@require_http_methods(["GET", "POST"])
def profile(request):
    profile = Profile.for_user(request.user)
    if request.method != "POST":
        forms = {"form": ProfileForm(instance=profile),
                 "reminders_form": RemindersForm(instance=profile)}
        return render(request, "accounts/profile.html", forms)

    form = ProfileForm(request.POST, instance=profile)
    reminders_form = RemindersForm(request.POST, instance=profile)
    forms = {"form": form, "reminders_form": reminders_form}
    if not all([form.is_valid(), reminders_form.is_valid()]):
        messages.error(
            request, "Your profile was not saved: please correct the fields marked below."
        )
        return render(request, "accounts/profile.html", forms, status=400)
    # Both forms edit the same profile, so one save writes both.
    form.save()
    messages.success(request, "Your profile has been saved.")
    return redirect("accounts:profile")


@require_safe
def export(request):
    """Send the JSON file: users' scripts fetch this URL (?download=1, the old form, too)."""
    data = export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
    return response


@require_safe
def export_about(request):
    return render(request, "accounts/export_about.html")


@require_http_methods(["GET", "POST"])
def delete_account(request):
    if request.method != "POST":
        return render(request, "accounts/delete.html", {"form": DeleteAccountForm(request.user)})

    # Guessing the password from a hijacked session is limited like any reauthentication.
    limited = consume_or_429(request, action="reauthenticate", user=request.user)
    if limited:
        return limited
    form = DeleteAccountForm(request.user, request.POST)
    if not form.is_valid():
        messages.error(request, "Your account was not deleted: the password was not right.")
        return render(request, "accounts/delete.html", {"form": form}, status=400)

    user = request.user
    auth_log.info("account deleted user_id=%s ip=%s", user.pk, client_ip(request))
    with transaction.atomic():
        end_sessions(user)
        logout(request)
        user.delete()
    messages.success(request, "Your account and all your data have been deleted.")
    return redirect("home")
