"""`{% load maths %}` then `{{ card.prompt|maths }}`: LaTeX spans typeset as MathML."""

from django import template

from catalog.maths import render_maths

register = template.Library()


@register.filter(name="maths")
def maths(text):
    return render_maths(str(text))
