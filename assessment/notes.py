"""Learners' private notes: Markdown in, sanitised HTML out.

Two layers keep a note from ever running script or smuggling markup into the page:
1. Markdown's raw-HTML handling is switched off, so any tag the learner types comes out as
   visible text (`<b>` shows as "<b>"), never as an element.
2. The HTML Markdown produces is then cleaned by nh3 against a short allow-list of tags,
   attributes and URL schemes; links get rel="noopener noreferrer nofollow".
Only the cleaned string is handed to templates as safe.
"""

import markdown
import nh3
from django.utils.safestring import mark_safe

MAX_NOTE_LENGTH = 20_000

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr",
    "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"


def _markdown():
    md = markdown.Markdown(extensions=["fenced_code", "sane_lists", "tables"], output_format="html")
    # Without these two, Markdown copies raw HTML blocks and inline tags through untouched.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def clean_html(html):
    """`html` reduced to the allow-list: no script, no event handlers, no javascript: URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text):
    """The note `text` as HTML that is safe to put in a page."""
    html = _markdown().convert(text or "")
    cleaned = clean_html(html)
    # Reviewed use: `cleaned` is nh3's output, restricted to the allow-list above, so no
    # learner-written markup reaches the page unescaped. This is the only place in the
    # progress feature where HTML is trusted.
    return mark_safe(cleaned)  # noqa: S308
