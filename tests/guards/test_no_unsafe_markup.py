"""Nothing is marked safe without a reason: escaping stays on for everything users write."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {
    ".venv", ".pgdata", ".git", "staticfiles", "node_modules", "test-artifacts", "build",
    "__pycache__", ".ruff_cache", ".hypothesis",
}
SCANNED_SUFFIXES = {".py", ".html", ".txt", ".xml", ".ics"}
UNSAFE = re.compile(
    r"\|\s*safe(?:seq)?\b|\bmark_safe\s*\(|\bSafeString\s*\(|\{%\s*autoescape\s+off"
)

# (path relative to the repository, count) -> why that use cannot carry user input.
ALLOWED = {
    ("progress/notes.py", 1): (
        "Learners' notes: only nh3's output is marked safe, after cmark-gfm ran in safe mode "
        "(raw HTML dropped) and nh3 cleaned against a short allow-list of tags, attributes "
        "and URL schemes; it is rendered when the note is saved and stored in Note.text_html."
    ),
    # The plain-text parts of reminder emails: text/plain is never parsed as HTML, and
    # escaping would show "&amp;" and "&#x27;" in a title; the HTML parts escape as usual.
    ("templates/assessment/email/daily.txt", 1): "a text/plain email part, never HTML",
    ("templates/assessment/email/focus.txt", 1): "a text/plain email part, never HTML",
    ("templates/assessment/email/weekly.txt", 1): "a text/plain email part, never HTML",
    ("catalog/maths.py", 1): (
        "Typeset maths in curated cards: text outside maths spans is escaped, and latex2mathml's "
        "output is parsed as XML and refused unless every element is MathML (it copies "
        "\\text{} through unescaped); tests/catalog/test_maths.py tries markup in \\text{}."
    ),
}


def scanned_files():
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
        for name in files:
            path = Path(folder, name)
            if path.suffix in SCANNED_SUFFIXES and path != Path(__file__).resolve():
                yield path


def unsafe_uses():
    uses = {}
    for path in scanned_files():
        found = UNSAFE.findall(path.read_text(encoding="utf-8", errors="replace"))
        if found:
            uses[str(path.relative_to(ROOT))] = len(found)
    return uses


def test_nothing_is_marked_safe_outside_the_reviewed_list():
    unexpected = {
        path: count for path, count in unsafe_uses().items() if (path, count) not in ALLOWED
    }
    assert not unexpected, (
        f"|safe, mark_safe or autoescape off in {unexpected}. Use format_html or escaping; "
        "if the text can never hold user input, add (path, count) and the reason to ALLOWED "
        "in tests/guards/test_no_unsafe_markup.py."
    )


def test_the_scan_finds_what_it_looks_for(tmp_path):
    # A scanner that matches nothing would let the test above pass for ever.
    samples = ["{{ note|safe }}", "{{ x | safe }}", "mark_safe(text)", "{% autoescape off %}"]
    for sample in samples:
        assert UNSAFE.search(sample), sample
    assert not UNSAFE.search("{{ note|linebreaks }} format_html('<b>{}</b>', name)")
