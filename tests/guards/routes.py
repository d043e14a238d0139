"""Every URL pattern of the site, classified as public or private, with sample URLs.

The guard tests walk `django.urls.get_resolver()` so a route added anywhere is covered the
moment it exists. A route must be listed here as public or private; one in neither list
fails `test_every_route_is_classified_as_public_or_private`, so nobody can add a page
without deciding who may see it.
"""

import fnmatch
import re
import uuid
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

# Pages anybody may see. Each answers a signed-out visitor without a redirect, except those
# in PUBLIC_REDIRECTS, which send an anonymous visitor on elsewhere for the reason given.
PUBLIC = {
    "home",
    "healthz",
    "admin:login",
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "mfa_authenticate",
    "catalog:list",
    "catalog:detail",
    "concepts:list",
    "concepts:detail",
    "concepts:notebook",
    "assessment:take",
    "assessment:check",
    "assessment:preview",
    # The review calendar: its secret token is the key, so calendar apps need no log-in.
    "progress:calendar_feed",
    # The site's own pages and what search engines read.
    "curation:about",
    "curation:privacy",
    "curation:robots",
    "curation:sitemap",
    # A learner's opt-in progress card and its image (404 unless they turned it on).
    "curation:card",
    "curation:card_image",
    # A reminder's unsubscribe link: its signed token is the key (RFC 8058 one-click).
    "assessment:unsubscribe",
}

# POSTs that need no CSRF token, and why. Each is covered by its own tests instead.
CSRF_EXEMPT = {
    "assessment:unsubscribe": "mail clients POST the one-click unsubscribe without cookies "
    "(RFC 8058); the signed token in the address allows it and it can only switch one kind "
    "of email off",
}

PUBLIC_REDIRECTS = {
    "admin:login": "the admin's log-in goes through the site's own, rate-limited log-in",
    "account_logout": "nobody to log out, so the visitor is sent home",
    "account_confirm_login_code": "no log-in code is pending, so back to the log-in page",
    "mfa_authenticate": "no log-in awaits a second factor, so back to the log-in page",
    "assessment:preview": "no answers in the session yet, so on to the assessment",
}

# Pages for signed-in people only. Shell-style patterns cover route families that grow
# with the code: the admin adds six routes for every registered model.
PRIVATE = {
    "admin:*",
    "admin/*",  # the admin's unnamed routes (object shortcuts and its catch-all)
    "account_reauthenticate",
    # allauth 65.22: re-authenticate with a code mailed to a signed-in user.
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "account_email",
    "account_change_password",
    "account_set_password",
    "mfa_*",
    "usersessions_*",
    "accounts:*",
    "assessment:history",
    "assessment:roadmap",
    "assessment:add",
    "assessment:skip",
    "assessment:restore",
    "assessment:keep_going",
    "assessment:lower_plan",
    "assessment:choose",
    "assessment:rebuild",
    "progress:progress",
    "progress:log_time",
    "progress:set_status",
    "progress:review",
    "progress:dismiss_exercise",
    "progress:focus",
    "progress:focus_answer",
    "progress:note",
    "progress:calendar_new",
    "progress:calendar_revoke",
    "progress:card_session",
    "progress:add_concept",
    "progress:anki_export",
    "progress:exercise_done",
    "curation:report",
    "curation:suggest",
    "curation:rate",
    "curation:card_settings",
}


@dataclass(frozen=True)
class Route:
    """One URL pattern, with its full route text and the converters of its arguments."""

    name: str | None
    route: str
    converters: dict = field(compare=False, hash=False)
    is_regex: bool = False

    @property
    def key(self):
        """The name to classify by: `namespace:name`, or the route text when unnamed."""
        return self.name or self.route

    @property
    def has_args(self):
        return bool(self.converters)

    def __str__(self):
        return self.key


def _walk(patterns, prefix="", namespace=None, converters=None, is_regex=False):
    for pattern in patterns:
        own = dict(converters or {})
        regex = is_regex
        if hasattr(pattern.pattern, "converters"):
            own.update(pattern.pattern.converters)
            own.update({k: None for k in pattern.pattern.regex.groupindex if k not in own})
        else:
            regex = True
            own.update({k: None for k in pattern.pattern.regex.groupindex})
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, text, inner, own, regex)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Route(name=name, route=text, converters=own, is_regex=regex)


def all_routes():
    """Every URL pattern of the site, in resolution order."""
    return list(_walk(get_resolver().url_patterns))


def matches(key, names):
    return any(fnmatch.fnmatchcase(key, name) for name in names)


def is_public(route):
    return route.key in PUBLIC


def is_private(route):
    return matches(route.key, PRIVATE) and route.key not in PUBLIC


def routes(kind):
    """Public or private routes (for parametrising tests)."""
    check = is_public if kind == "public" else is_private
    return [route for route in all_routes() if check(route)]


# Placeholder argument values by name, then by converter. They need not exist: a private
# route must send an anonymous visitor to log in before it ever looks anything up.
PLACEHOLDER_BY_NAME = {
    "app_label": "accounts",
    "uidb36": "1",
    "key": "sample-key-that-does-not-exist",
    "token": "sample-token",
}


def _placeholder(name, converter):
    if name in PLACEHOLDER_BY_NAME:
        return PLACEHOLDER_BY_NAME[name]
    kind = type(converter).__name__ if converter is not None else ""
    if kind == "IntConverter" or name in {"pk", "id"} or name.endswith("_id"):
        return "1"
    if kind == "UUIDConverter":
        return str(uuid.UUID(int=1))
    return "sample"


class NoSampleURL(Exception):
    """The route takes arguments we cannot make up: the guards fail and say which."""


def sample_url(route, samples=None):
    """A URL that resolves to `route`, filled with `samples` or placeholders."""
    kwargs = {name: _placeholder(name, conv) for name, conv in route.converters.items()}
    kwargs.update((samples or {}).get(route.key, {}))
    if route.name:
        try:
            return reverse(route.name, kwargs=kwargs or None)
        except NoReverseMatch as error:
            raise NoSampleURL(f"{route.key}: cannot build a sample URL ({error})") from None
    if route.is_regex:
        raise NoSampleURL(f"{route.key}: an unnamed regular expression (a catch-all)")

    def fill(match):
        return str(kwargs[match.group(1)])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, route.route)


def sweep(samples=None, keep=lambda route: True):
    """(route, url) for every route we can build a URL for."""
    found = []
    for route in all_routes():
        if not keep(route):
            continue
        found.append((route, sample_url(route, samples)))  # NoSampleURL: a gap, say so
    return found
