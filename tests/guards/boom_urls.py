"""The site's URLs plus one view that fails, to see the 500 page's headers."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path


@login_not_required
def boom(request):
    raise RuntimeError("a deliberate failure for the guard tests")


urlpatterns = [
    path("guard-boom/", boom),
    path("", include("mathpath.urls")),
]

handler500 = "mathpath.views.server_error"
