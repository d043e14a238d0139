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
