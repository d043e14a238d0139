"""Curation's pages. Mounted before the catalogue, so /catalog/suggest/ is not read as a slug."""

from django.urls import path

from curation import views

app_name = "curation"

urlpatterns = [
    path("catalog/<slug:slug>/report/", views.report, name="report"),
]
