"""Curation's pages. Mounted before the catalogue, so /catalog/suggest/ is not read as a slug."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import path

from curation import site, views

app_name = "curation"

urlpatterns = [
    path("catalog/suggest/", views.suggest, name="suggest"),
    path("catalog/<slug:slug>/report/", views.report, name="report"),
    path("catalog/<slug:slug>/rate/", views.rate, name="rate"),
    path("u/<slug:handle>/", views.card, name="card"),
    path("u/<slug:handle>/card.svg", views.card_image, name="card_image"),
    path("card/", views.card_settings, name="card_settings"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        login_not_required(sitemap),
        {"sitemaps": site.SITEMAPS},
        name="sitemap",
    ),
]
