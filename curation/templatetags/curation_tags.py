"""The resource page's curation parts: link health, the learner's report, ratings."""

from django import template

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
