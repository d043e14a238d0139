"""Our allauth adapter: log refused log-ins, which never reach Django's authenticate()."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.forms import ValidationError

from accounts.signals import client_ip

auth_log = logging.getLogger("mathpath.auth")


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # Past the rate limit allauth refuses before checking the password, so Django's
            # user_login_failed signal never fires; this is the only place to see it.
            auth_log.warning(
                "login refused (too many attempts) email=%r ip=%s",
                credentials.get("email", ""),
                client_ip(request),
            )
            raise

    # Sign-up would say three things at once (address confirmation sent, logged in, ...);
    # the new learner gets one message that says what happened and what comes next.
    SIGN_UP_MESSAGES = {
        "account/messages/email_confirmation_sent.txt",
        "account/messages/logged_in.txt",
    }

    def save_user(self, request, user, form, commit=True):
        request.signing_up = True
        return super().save_user(request, user, form, commit)

    def add_message(self, request, level, message_template=None, message_context=None,
                    extra_tags="", message=None):
        if getattr(request, "signing_up", False) and message_template in self.SIGN_UP_MESSAGES:
            if getattr(request, "welcomed", False):
                return
            request.welcomed = True
            message_template = "account/messages/signed_up.txt"
        super().add_message(request, level, message_template, message_context, extra_tags,
                            message)
