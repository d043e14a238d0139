"""The resource page's curation parts: link health, the learner's report, ratings."""

from django import template
from django.conf import settings

from curation.models import resource_curation

register = template.Library()


@register.simple_tag(takes_context=True)
def curation_for(context, resource):
    """What the curation includes show about `resource` to this viewer, in one query.

    Kept on the resource, so that several includes on one page share the one query.
    """
    cached = getattr(resource, "_curation", None)
    if cached is None:
        cached = resource._curation = resource_curation(resource, context["request"].user)
    return cached


@register.simple_tag
def contact_email():
    return settings.CONTACT_EMAIL


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without its query string (filters and pages are not new pages)."""
    request = context.get("request")
    return request.build_absolute_uri(request.path) if request else ""
