from django.contrib import admin
from django.urls import include, path

from mathpath import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Our account pages (profile, export, delete) first, then allauth's log-in and friends.
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    # Curation's pages first: /catalog/suggest/ must not be taken for a resource's slug.
    path("", include("curation.urls")),
    path("catalog/", include("catalog.urls")),
    path("concepts/", include("catalog.concept_urls")),
    # /assessment/ and /roadmap/; then statuses, reviews, focus, notes and the calendar.
    path("", include("assessment.urls")),
    path("", include("progress.urls")),
]

handler500 = "mathpath.views.server_error"
