"""Site-wide pages: home, health check and the error pages."""

import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from assessment import roadmap
from assessment.views import dashboard
from mathpath.htmx_errors import error_fragment


@login_not_required
@require_safe
def home(request):
    """The dashboard for signed-in learners; the public introduction for everybody else."""
    if request.user.is_authenticated:
        return dashboard(request)
    # Each area links to the catalogue filtered to its domain.
    areas = [(roadmap.AREA_TITLES[slug], text, slug) for slug, text in HOME_AREAS]
    return render(request, "home.html", {"areas": areas, "discrete": roadmap.DISCRETE_MATH})


# The assessment's four areas, in its order; their names come from the roadmap builder.
HOME_AREAS = [
    (roadmap.LINEAR_ALGEBRA, "Images, words and users become vectors and matrices. Rated "
     "below 3, it is where your roadmap starts."),
    (roadmap.CALCULUS, "Derivatives, partial derivatives and gradients: how models learn "
     "from their mistakes by gradient descent."),
    (roadmap.PROBABILITY_STATISTICS, "Distributions, Bayes' theorem and expected values: how "
     "models decide under uncertainty, and when they are confidently wrong."),
    (roadmap.PROGRAMMING, "Turning notation into working code with NumPy: the bridge skill "
     "that decides how quickly the rest pays off."),
]


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """Say ok when PostgreSQL answers a query; 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        response["Retry-After"] = "5"
        return response
    return HttpResponse("ok\n", content_type="text/plain")


@login_not_required
def csrf_failure(request, reason=""):
    # The reason is for developers; visitors get a plain explanation and a way back.
    if request.headers.get("HX-Request") == "true":
        return error_fragment(CSRF_HTMX_MESSAGE, 403)
    return render(request, "403_csrf.html", status=403)


CSRF_HTMX_MESSAGE = (
    "This page is out of date (you may have signed out in another tab), so nothing was "
    "changed. Copy anything you typed, then reload the page."
)


def server_error(request):
    """Our 500 page, or a 503 with Retry-After when PostgreSQL is unreachable.

    Rendered without the request context: the context processors would touch the session
    and the user, which live in the very database that may have just failed.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
    else:
        response = HttpResponse(render_to_string("500.html"), status=500)
    add_never_cache_headers(response)
    return response
