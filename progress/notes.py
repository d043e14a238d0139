"""Learners' private notes: Markdown in, sanitised HTML out, rendered once when saved.

The parser is cmark-gfm (GitHub's C implementation of CommonMark, through cmarkgfm, which
PyPI uses for READMEs) with tables and autolinks: it is linear in the note's length whatever
the learner types, and the worst 20,000-character notes render in milliseconds.
(Python-Markdown, used first, is quadratic in '[' characters: a 20,000-character note of
them took two minutes and took gunicorn workers down with it; markdown-it-py, used next, is
linear but pure Python and needed up to 0.4 s. See docs/security.md.)

Two layers keep a note from ever running script or smuggling markup into the page:
1. cmark's safe mode drops raw HTML (any tag the learner types is left out of the page; the
   text between tags stays) and empties javascript:, vbscript: and data: links.
2. The HTML the parser produces is then cleaned by nh3 against a short allow-list of tags,
   attributes and URL schemes; links get rel="noopener noreferrer nofollow".
The cleaned HTML is stored beside the text (Note.text_html), so pages never parse a note.
"""

import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
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

# What notes supported before: CommonMark has fenced code and sane lists built in; tables
# and bare-URL links are the extensions. No CMARK_OPT_UNSAFE: raw HTML never passes.
EXTENSIONS = ["table", "autolink"]


# Each '>' opens one more quote inside the last: 20,000 of them parse in milliseconds but
# nest 20,000 elements deep, which the cleaner needs seconds to walk. Nobody quotes deeper
# than a few levels, so markers past the sixteenth on a line are dropped.
MAX_QUOTE_DEPTH = 16
_TOO_DEEP = re.compile(rf"(?m)^([ \t]*(?:>[ \t]*){{{MAX_QUOTE_DEPTH}}})(?:>[ \t]*)+")


# A note is drawn under the page's own h1 and h2, so its headings move two levels down:
# "# Key ideas" becomes an h3, and anything from "####" on an h6.
HEADING_SHIFT = 2
_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def _shift_heading(match):
    return f"<{match.group(1)}h{min(int(match.group(2)) + HEADING_SHIFT, 6)}>"


def _parse(text):
    html = cmarkgfm.markdown_to_html_with_extensions(
        _TOO_DEEP.sub(r"\1", text), options=Options.CMARK_OPT_DEFAULT, extensions=EXTENSIONS
    )
    return _HEADING_TAG.sub(_shift_heading, html)


def clean_html(html):
    """`html` reduced to the allow-list: no script, no event handlers, no javascript: URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_drop_empty_links,
    )


def _drop_empty_links(tag, attribute, value):
    # cmark empties the href of a javascript: or data: link; a link to nowhere is no link.
    return None if attribute == "href" and not value.strip() else value


def render_markdown(text):
    """The note `text` as cleaned HTML that is safe to put in a page (run when it is saved)."""
    return trusted(clean_html(_parse(text or "")))


def trusted(cleaned_html):
    """HTML from render_markdown (or stored from it) marked safe for templates."""
    # Reviewed use: the only strings that arrive here are nh3's output, restricted to the
    # allow-list above — fresh from render_markdown, or as render_markdown stored it in
    # Note.text_html, a column nothing else writes. No learner-written markup reaches the
    # page unescaped. This is the only place in the progress feature where HTML is trusted.
    return mark_safe(cleaned_html)  # noqa: S308
