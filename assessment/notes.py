"""Learners' private notes: Markdown in, sanitised HTML out, rendered once when saved.

The parser is markdown-it-py with its CommonMark rules plus tables: it runs in time linear
in the note's length whatever the learner types. (Python-Markdown, used before, is quadratic
in '[' characters: a 20,000-character note of them took two minutes and took gunicorn
workers down with it; see docs/security.md.)

Two layers keep a note from ever running script or smuggling markup into the page:
1. Raw HTML is switched off in the parser, so any tag the learner types comes out as visible
   text (`<b>` shows as "<b>"), never as an element; its link check drops javascript: and
   data: URLs.
2. The HTML the parser produces is then cleaned by nh3 against a short allow-list of tags,
   attributes and URL schemes; links get rel="noopener noreferrer nofollow".
The cleaned HTML is stored beside the text (Note.text_html), so pages never parse a note.
"""

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

MAX_NOTE_LENGTH = 20_000

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr",
    "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"

# What notes supported before: CommonMark has fenced code and sane lists built in; tables
# are the one extension. One parser serves every request: rendering keeps no state in it.
_parser = MarkdownIt("commonmark", {"html": False}).enable("table")


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
    """The note `text` as cleaned HTML that is safe to put in a page (run when it is saved)."""
    return trusted(clean_html(_parser.render(text or "")))


def trusted(cleaned_html):
    """HTML from render_markdown (or stored from it) marked safe for templates."""
    # Reviewed use: the only strings that arrive here are nh3's output, restricted to the
    # allow-list above — fresh from render_markdown, or as render_markdown stored it in
    # Note.text_html, a column nothing else writes. No learner-written markup reaches the
    # page unescaped. This is the only place in the progress feature where HTML is trusted.
    return mark_safe(cleaned_html)  # noqa: S308
