"""Audit log of log-ins, and the end of a user's sessions on log-out or an MFA change.

The "mathpath.auth" logger records who logged in or failed to, when (the log line's
time) and from which IP. It never records a password or a session key: Django hands the
failure signal credentials with the password already masked, and we log only the email.
"""

import logging

from allauth.account.adapter import get_adapter
from allauth.mfa.signals import authenticator_added, authenticator_removed
from allauth.usersessions.models import UserSession
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

auth_log = logging.getLogger("mathpath.auth")


def client_ip(request) -> str:
    """The client's address by the one rule the rate limits and the sessions list use.

    That is allauth's get_client_ip, which believes X-Forwarded-For or a client-IP header
    only as far as TRUSTED_PROXY_COUNT or CLIENT_IP_HEADER say (see settings); "-" when a
    configured header is missing.
    """
    if request is None:
        return "-"
    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:
        return "-"


def end_sessions(user, *, keep_session_key=None) -> int:
    """End every session `user` started by logging in, in any browser; return how many.

    allauth's usersessions app records each log-in's session key, so these can be deleted
    from the session store without scanning it. The session `keep_session_key` survives.
    """
    sessions = list(
        UserSession.objects.filter(user_id=user.pk).exclude(session_key=keep_session_key)
    )
    for session in sessions:
        session.end()
    return len(sessions)


@receiver(user_logged_in, dispatch_uid="accounts.log_login")
def log_login(sender, request, user, **kwargs):
    auth_log.info(
        "login succeeded user_id=%s email=%r ip=%s", user.pk, user.email, client_ip(request)
    )


@receiver(user_login_failed, dispatch_uid="accounts.log_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    email = credentials.get("email") or credentials.get("username") or ""
    auth_log.warning("login failed email=%r ip=%s", email, client_ip(request))


@receiver(user_logged_out, dispatch_uid="accounts.end_sessions_on_logout")
def end_sessions_on_logout(sender, request, user, **kwargs):
    """Logging out in one browser logs the user out everywhere.

    Django flushes the current session right after this signal; ending it here as well
    does no harm.
    """
    if user is None:
        return
    ended = end_sessions(user)
    auth_log.info("logout user_id=%s ip=%s sessions_ended=%d", user.pk, client_ip(request), ended)


@receiver(authenticator_added, dispatch_uid="accounts.end_other_sessions_on_mfa_added")
@receiver(authenticator_removed, dispatch_uid="accounts.end_other_sessions_on_mfa_removed")
def end_other_sessions_on_mfa_change(sender, request, user, authenticator, **kwargs):
    """Adding or removing an authenticator logs the user out of every other browser.

    A session that logged in before an authenticator app was added never gave a code, and
    one left over after it was removed may be the intruder's; the browser that made the
    change keeps its session.
    """
    keep = request.session.session_key if request is not None else None
    ended = end_sessions(user, keep_session_key=keep)
    auth_log.info(
        "mfa %s type=%s user_id=%s ip=%s other_sessions_ended=%d",
        "added" if kwargs["signal"] is authenticator_added else "removed",
        authenticator.type,
        user.pk,
        client_ip(request),
        ended,
    )
