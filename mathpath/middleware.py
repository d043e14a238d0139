"""Project-wide middleware: deny by default, no caching of private pages, storable input."""

import re

from django.contrib.auth import middleware as auth_middleware
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django_htmx.http import HttpResponseClientRedirect

from mathpath.htmx_errors import error_fragment


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's deny-by-default middleware, with htmx requests sent to log-in whole.

    Swapping a log-in page into a fragment of the current page would be nonsense, so an
    htmx request gets an HX-Redirect and the browser loads the log-in page itself.
    """

    def handle_no_permission(self, request, view_func):
        response = super().handle_no_permission(request, view_func)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(response["Location"])
        return response


class PrivatePagesNoStoreMiddleware:
    """Keep signed-in pages out of shared and browser caches (Cache-Control: no-store)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/static/"

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.static_prefix)
            and request.path != reverse("healthz")
        ):
            patch_cache_control(response, no_store=True, private=True)
        return response


# What PostgreSQL cannot store in a text column: the NUL character, and lone surrogates,
# which have no UTF-8 form. (Django decodes requests with errors="replace", so surrogates
# should never arrive; they cost nothing to look for.)
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = (
    "The request contained a character that cannot be stored (a NUL byte, \\0), so nothing "
    "was changed. Remove it and try again."
)


class RejectUnstorableCharactersMiddleware:
    """Answer 400 when any part of a request holds a character PostgreSQL cannot store.

    A NUL byte in a form field, a query value or the path reached the database and came
    back as a DataError (a 500), on any view that queried or saved the value. One check
    here, before any view, covers every route: the path, the query and form keys and
    values, the names of uploaded files and the cookies (the session key is a query).
    The page is drawn without the request, like the 500 page, so that drawing it cannot
    touch the session or the user, which a bad cookie would break; htmx gets the fragment.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_unstorable_characters(request):
            if request.headers.get("HX-Request"):
                return error_fragment(UNSTORABLE_MESSAGE, 400)
            return HttpResponseBadRequest(
                render_to_string("400.html", {"problem": UNSTORABLE_MESSAGE})
            )
        return self.get_response(request)


def has_unstorable_characters(request) -> bool:
    texts = [request.path, request.path_info, *request.COOKIES.values()]
    for data in (request.GET, request.POST, request.FILES):
        for key, values in data.lists():
            texts.append(key)
            texts.extend(value if isinstance(value, str) else value.name or "" for value in values)
    return any(UNSTORABLE.search(text) for text in texts)
