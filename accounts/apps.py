from allauth.account.apps import AccountConfig
from allauth.mfa.apps import MFAConfig
from allauth.usersessions.apps import UserSessionsConfig
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default = True  # this module also holds the configs of allauth's apps, below
    name = "accounts"
    verbose_name = "Learners and profiles"

    def ready(self):
        from accounts import signals  # noqa: F401  (connects the receivers)


class EmailAddressesConfig(AccountConfig):
    """allauth's account app, named for what its admin section holds: email addresses.

    Both it and ours were "Accounts", so the admin index showed two sections of that name.
    """

    verbose_name = "Email addresses"


class SignInSessionsConfig(UserSessionsConfig):
    verbose_name = "Signed-in sessions"


class TwoFactorConfig(MFAConfig):
    verbose_name = "Two-factor authentication"
