"""Notes are Markdown rendered safely and quickly: no script, no raw HTML, no blow-up."""

import time
from html.parser import HTMLParser

import pytest
from django.utils.safestring import SafeData
from hypothesis import given, settings
from hypothesis import strategies as st

from progress.notes import ALLOWED_TAGS, MAX_NOTE_LENGTH, render_markdown


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


def test_tags_typed_by_hand_never_reach_the_page():
    html = render_markdown("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>")
    assert "<script" not in html and "<img" not in html and "onerror" not in html


def test_raw_html_is_left_out_and_the_text_between_tags_kept():
    html = render_markdown("I wrote <b>bold</b> by hand")
    assert "<b>" not in html
    assert "I wrote bold by hand" in html


def test_links_get_a_safe_rel():
    html = render_markdown("[3b1b](https://www.3blue1brown.com/)")
    assert 'href="https://www.3blue1brown.com/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_an_empty_note_renders_as_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_what_notes_supported_before_still_renders():
    html = render_markdown(
        "| a | b |\n| - | - |\n| 1 | 2 |\n\n"
        "```\nx = A @ v\n```\n\n"
        "3. three\n4. four\n\n"
        "> quoted\n\n"
        "[3b1b](https://www.3blue1brown.com/ \"videos\") and <https://example.org/>"
    )
    assert "<table>" in html and "<th>a</th>" in html and "<td>2</td>" in html
    assert "<pre><code>x = A @ v\n</code></pre>" in html
    assert '<ol start="3">' in html and "<blockquote>" in html
    assert 'href="https://www.3blue1brown.com/"' in html and 'title="videos"' in html
    assert 'href="https://example.org/"' in html


# --- Time: the parser is linear, so no note can hold a worker for long --------------------
#
# Python-Markdown took 120 s for PATHOLOGICAL["nested brackets"] and 52 s for "brackets then
# link openers" (quadratic); pure-Python markdown-it-py up to 0.4 s. cmark-gfm renders the
# worst of these in 10-30 ms on a 2-core machine. The bound is several times that, so a busy
# machine does not fail it while any blow-up does: each input gets the fastest of three runs.
RENDER_BOUND_SECONDS = 0.1
N = MAX_NOTE_LENGTH


def exactly(unit, head=""):
    """`head`, then `unit` repeated, cut to exactly the longest note allowed."""
    return (head + unit * (N // len(unit) + 1))[:N]


PATHOLOGICAL = {
    "nested brackets": "[" * N,
    "brackets then link openers": "[" * (N // 2) + "](" * (N // 4),
    "image openers": exactly("!["),
    "empty links": exactly("[]("),
    "emphasis run": "*" * N,
    "alternating emphasis": exactly("_a"),
    "strong openers": exactly("**a"),
    "mixed delimiters": exactly("*_"),
    "backtick run": "`" * N,
    "backtick pairs": exactly("`a"),
    "fence lines": exactly("```\n"),
    "link reference definitions": "".join(f"[r{n}]: /u{n}\n" for n in range(N // 8))[:N],
    "reference uses": exactly("[r] ", head="[r]: /u\n"),
    "pipes": "|" * N,
    "rows of pipes": exactly("|" * 99 + "\n"),
    "a table of many rows": exactly("| x | y |\n", head="| a | b |\n| - | - |\n"),
    "a table of many columns": exactly("-|", head="|" + "a|" * (N // 4) + "\n|"),
    "table rows of one pipe": exactly("|\n", head="a|b\n-|-\n"),
    "less-than run": "<" * N,
    "tag openers": exactly("<a"),
    "entity openers": exactly("&#"),
    "backslashes": "\\" * N,
    "quote markers": ">" * N,
    "list markers": exactly("- "),
    "nested lists": exactly("".join("  " * depth + "- x\n" for depth in range(100))),
}


def render_seconds(text):
    """The fastest of three renders of `text`, timed around the render function only."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        render_markdown(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_notes_of_the_longest_length_render_quickly(name):
    text = PATHOLOGICAL[name]
    assert len(text) == N
    seconds = render_seconds(text)
    assert seconds < RENDER_BOUND_SECONDS, f"{name}: {seconds:.2f} s"


# Random notes of the longest length: short random pieces of Markdown's special characters
# (and any other character) repeated up to 20,000, since runs are where parsers blow up.
# Characters UTF-8 can carry only: a request body is decoded from UTF-8, so a lone surrogate
# never reaches a note.
MARKDOWN_CHARACTERS = "[]()!*_`~<>|&#;:\\/-+=.0123456789 \t\n\"'ab"
pieces = st.lists(
    st.tuples(
        st.text(
            alphabet=st.one_of(
                st.sampled_from(MARKDOWN_CHARACTERS), st.characters(codec="utf-8")
            ),
            min_size=1,
            max_size=16,
        ),
        st.integers(min_value=1, max_value=40),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=25, deadline=None)
@given(pieces=pieces)
def test_random_notes_of_the_longest_length_render_quickly(pieces):
    text = exactly("".join(piece * times for piece, times in pieces))
    assert len(text) == N
    seconds = render_seconds(text)
    assert seconds < RENDER_BOUND_SECONDS, f"{seconds:.2f} s for pieces {pieces!r}"
