"""`{% load maths %}` then `{{ card.prompt|maths }}`: LaTeX spans typeset as MathML."""

import logging

from django import template
from django.utils.html import escape

from catalog.maths import MathsError, render_maths

register = template.Library()
logger = logging.getLogger(__name__)


@register.filter(name="maths")
def maths(text):
    """Typeset; LaTeX the admin and the loader would refuse shows as its source, not a 500."""
    try:
        return render_maths(str(text))
    except MathsError as error:
        logger.warning("Maths shown untypeset: %s", error)
        return escape(text)
