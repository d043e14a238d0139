from allauth.account.decorators import secure_admin_login
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect

from accounts.models import User


def staff_lacks_required_mfa(user) -> bool:
    """True when the admin demands two-factor authentication and `user` has not set it up.

    With an authenticator app set up, allauth asks for its code at every log-in, so a
    signed-in user who has one has passed it.
    """
    if not settings.ADMIN_REQUIRE_MFA:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


_admin_has_permission = admin.site.has_permission
_admin_login = secure_admin_login(admin.site.login)


def admin_has_permission(request):
    return _admin_has_permission(request) and not staff_lacks_required_mfa(request.user)


def admin_login(request, extra_context=None):
    """Admin log-in goes through allauth's log-in page, so its rate limits apply too."""
    user = request.user
    if (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and staff_lacks_required_mfa(user)
    ):
        messages.warning(
            request, "The admin needs two-factor authentication: set up an authenticator app first."
        )
        return redirect("mfa_activate_totp")
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
