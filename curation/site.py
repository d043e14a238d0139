"""The site's own pages for visitors and search engines: about, privacy, robots.txt, sitemap."""

from django.contrib import sitemaps
from django.urls import reverse

from catalog.models import Concept, Resource

# Where search engines are not wanted: private pages, and the ones that answer a form.
ROBOTS_DISALLOW = ["/admin/", "/accounts/", "/progress/", "/notes/", "/reviews/", "/focus/",
                   "/calendar/", "/roadmap/", "/catalog/suggest/", "/cards/", "/email/",
                   "/exercises/", "/dashboard/"]


class StaticSitemap(sitemaps.Sitemap):
    changefreq = "monthly"

    def items(self):
        return ["home", "catalog:list", "concepts:list", "curation:about", "curation:privacy"]

    def location(self, name):
        return reverse(name)


class ResourceSitemap(sitemaps.Sitemap):
    """Published resources only: a draft's page is for staff."""

    changefreq = "weekly"

    def items(self):
        return Resource.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, resource):
        return resource.updated_at


class ConceptSitemap(sitemaps.Sitemap):
    """Published concepts: a draft's page is for staff."""

    changefreq = "weekly"

    def items(self):
        return Concept.objects.filter(published=True).only("slug").order_by("pk")


SITEMAPS = {"pages": StaticSitemap, "resources": ResourceSitemap, "concepts": ConceptSitemap}


def beyond_the_guide():
    """Published resources the catalogue adds to the guide (marked beyond_guide by the curators)."""
    return (
        Resource.objects.published()
        .filter(beyond_guide=True)
        .only("title", "slug", "provider")
        .order_by("title")
    )
