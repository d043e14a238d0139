"""Project-wide middleware: deny by default and no caching of private pages."""

from django.contrib.auth import middleware as auth_middleware
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django_htmx.http import HttpResponseClientRedirect


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


class LearnerPagesVersionMiddleware:
    """After a signed-in user changes anything, their cached page parts are redrawn.

    Every change a learner makes is a POST (or another unsafe method); one that succeeded
    moves their pages_version on, and mathpath/pagecache.py keys their cached HTML on it.
    It runs after the view, so the change is committed before the version moves: a page
    drawn in between is drawn from the new data anyway. Nothing more happens when the
    request already moved it on (a status change does, inside its own transaction) or the
    view says it changed nothing (`request.changed_nothing = True`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
            and response.status_code < 400
            and user is not None
            and user.is_authenticated
            and not getattr(user, "pages_version_moved", False)
            and not getattr(request, "changed_nothing", False)
        ):
            user.pages_changed()
        return response
