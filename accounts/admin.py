from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import secure_admin_login
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import User

SET_UP_MFA = "set up"
CONFIRM_MFA = "confirm"


def admin_mfa_step(request) -> str | None:
    """What this session still owes before the admin opens: SET_UP_MFA, CONFIRM_MFA or None.

    Having an authenticator app is not enough: a session that logged in with the password
    alone, before the app was set up (perhaps in another browser), never gave a code. So
    the session itself must carry allauth's record of a passed MFA step, made when a code
    is accepted at log-in or when the user confirms one later (mfa_reauthenticate).
    """
    if not settings.ADMIN_REQUIRE_MFA:
        return None
    user = request.user
    if not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
        return SET_UP_MFA
    records = get_authentication_records(request, user)
    if not any(record.get("method") == "mfa" for record in records):
        return CONFIRM_MFA
    return None


_admin_has_permission = admin.site.has_permission
_admin_login = secure_admin_login(admin.site.login)


def admin_has_permission(request):
    return _admin_has_permission(request) and admin_mfa_step(request) is None


def admin_login(request, extra_context=None):
    """Admin log-in goes through allauth's log-in page, so its rate limits apply too."""
    user = request.user
    step = (
        admin_mfa_step(request)
        if user.is_authenticated and user.is_active and user.is_staff
        else None
    )
    if step == SET_UP_MFA:
        messages.warning(
            request, "The admin needs two-factor authentication: set up an authenticator app first."
        )
        return redirect("mfa_activate_totp")
    if step == CONFIRM_MFA:
        messages.warning(
            request, "The admin needs a code from your authenticator app for this session."
        )
        wanted = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            wanted = reverse("admin:index")
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': wanted})}")
    return _admin_login(request, extra_context)


admin.site.has_permission = admin_has_permission
admin.site.login = admin_login


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]
