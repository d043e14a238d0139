"""The site's URLs plus the benchmark's baselines under /bench/."""

from django.urls import include, path

from benchmarks import baseline_views

urlpatterns = [
    path("bench/ok", baseline_views.ok, name="bench_ok"),
    path("bench/plain/", baseline_views.plain_page, name="bench_plain"),
    path("bench/write/", baseline_views.one_row_write, name="bench_write"),
    path("", include("mathpath.urls")),
]

handler500 = "mathpath.views.server_error"
