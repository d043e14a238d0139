"""Notes are Markdown rendered safely: no script and no raw HTML survives."""

from html.parser import HTMLParser

import pytest
from django.utils.safestring import SafeData

from assessment.notes import ALLOWED_TAGS, render_markdown


def test_markdown_is_rendered():
    html = render_markdown("# Eigen\n\n**Key** idea: *scale*.\n\n- one\n- two\n\n`A @ x`")
    assert isinstance(html, SafeData)
    assert "<strong>Key</strong>" in html and "<em>scale</em>" in html
    assert "<li>one</li>" in html and "<code>A @ x</code>" in html


class Elements(HTMLParser):
    """The elements and attributes a browser would build from some HTML."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(str(html))

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<div onclick='x()'>hi</div>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript:alert(1))",
        "<a href='javascript:alert(1)'>x</a>",
        "<iframe src='https://evil'></iframe>",
        "<style>body{}</style>",
        "![x](https://evil/img.png)",
        "![x](x \"onerror=alert(1)\")",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "```\n</code><script>alert(1)</script>\n```",
        "<!-- comment --><svg onload=alert(1)>",
    ],
)
def test_dangerous_markup_does_not_survive(text):
    elements = Elements(render_markdown(text)).found
    for tag, attrs in elements:
        assert tag in ALLOWED_TAGS, (tag, text)
        assert not [name for name in attrs if name.startswith("on")], (attrs, text)
        href = attrs.get("href")
        assert href is None or href.startswith(("http://", "https://", "mailto:")), href


def test_tags_typed_by_hand_stay_visible_as_text():
    html = render_markdown("<script>alert(1)</script>")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("I wrote <b>bold</b> by hand")
    assert "<b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_links_get_a_safe_rel():
    html = render_markdown("[3b1b](https://www.3blue1brown.com/)")
    assert 'href="https://www.3blue1brown.com/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_an_empty_note_renders_as_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
