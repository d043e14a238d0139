"""Where a form may send the browser next: only ever a path on this site."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """The request's `next` (form field, then query) when it is a path here, else `default`.

    Only an absolute path passes: it starts with one '/'. That rules out other sites
    ('https://evil.example', '//evil.example', and '/\\evil.example', which browsers read as
    '//'), other schemes ('javascript:…'), relative paths ('x/y', '../') that would land
    somewhere depending on the page, and bare words ('x', 'home') that redirect() would take
    for URL names and fail on. Control characters and backslashes never pass: browsers
    drop or rewrite them, turning a harmless-looking path into another site's address.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and "\\" not in target
        and not any(ord(c) < 0x20 or ord(c) == 0x7F for c in target)
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
