"""The pages a reminder email links to that work without logging in: unsubscribe."""

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import Profile
from assessment import reminders


def _get_profile_for_token(token: str) -> tuple[Profile, str]:
    """The learner and kind a token names; 400 for a token not made here, 404 for no one."""
    try:
        user_id, kind = reminders.read_unsubscribe_token(token)
    except signing.BadSignature:
        raise BadToken from None
    profile = Profile.objects.filter(user_id=user_id).select_related("user").first()
    if profile is None:
        raise Http404("That unsubscribe link belongs to an account that no longer exists.")
    return profile, kind


class BadToken(Exception):
    pass


# A mail client's one-click POST (RFC 8058) carries no cookie and no CSRF token: the signed
# token in the address is what allows it, and it can only switch one kind of email off.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        profile, kind = _get_profile_for_token(token)
    except BadToken:
        problem = "That unsubscribe link is not one we sent: check it was copied whole."
        context = {"problem": problem}
        return render(request, "assessment/unsubscribe.html", context, status=400)
    context = {"kind": reminders.EmailKind(kind), "email": _masked(profile.user.email)}
    if request.method == "POST":
        reminders.unsubscribe(profile, kind)
        context["done"] = True
    return render(request, "assessment/unsubscribe.html", context)


def _masked(email: str) -> str:
    """a•••@example.com: enough to recognise one's own address, not to learn another's."""
    name, _, domain = email.partition("@")
    return f"{name[:1]}•••@{domain}"
