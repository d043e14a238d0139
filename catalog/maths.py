"""Typeset maths on the server: LaTeX between `$…$` or `$$…$$` in curated text becomes MathML.

Browsers draw MathML natively, so cards need no JavaScript and no CSP exception. Everything
outside the maths spans is escaped; `\\$` writes a literal dollar sign, and text between
backticks is shown as code (no maths inside it).
"""

import re
from xml.etree import ElementTree

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from latex2mathml.converter import convert

# `code` first, then `$$…$$` (display) before `$…$` (inline); an escaped dollar is text.
_SPAN = re.compile(
    r"`(?P<code>[^`]+)`|\$\$(?P<display>.+?)\$\$|(?<!\\)\$(?P<inline>.+?)(?<!\\)\$",
    re.DOTALL,
)
# latex2mathml passes a command it does not know through as text, backslash and all.
_UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+)")
# latex2mathml copies \text{…} through unescaped, so its output is checked as XML made of
# MathML elements only before it reaches a page.
_MATHML = "{http://www.w3.org/1998/Math/MathML}"
_ELEMENTS = {
    *("math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup"),
    *("mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd"),
    *("mstyle", "mpadded", "mphantom", "menclose", "merror", "mmultiscripts", "mprescripts"),
    *("none", "semantics", "annotation"),
}


class MathsError(ValueError):
    """A maths span that is not LaTeX we can typeset; the message quotes the span."""


def to_mathml(latex, *, display=False):
    """One LaTeX expression as a MathML element; raises MathsError naming the bad LaTeX."""
    if not latex.strip():
        raise MathsError("Empty maths span ($$ or $ $): write the LaTeX between the dollars.")
    try:
        mathml = convert(latex, display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises plain Exception subclasses
        reason = type(error).__name__.removesuffix("Error")
        raise MathsError(f"Can't typeset the LaTeX ${latex}$ ({_words(reason)}).") from error
    if unknown := _UNKNOWN_COMMAND.search(mathml):
        raise MathsError(f"Can't typeset the LaTeX ${latex}$ (unknown command {unknown[1]}).")
    try:
        tree = ElementTree.fromstring(mathml)  # noqa: S314 - our converter's output, no DTD
    except ElementTree.ParseError as error:
        raise MathsError(f"Can't typeset the LaTeX ${latex}$ (it holds markup).") from error
    if any(node.tag.removeprefix(_MATHML) not in _ELEMENTS for node in tree.iter()):
        raise MathsError(f"Can't typeset the LaTeX ${latex}$ (it holds markup).")
    return mathml


def render_maths(text) -> SafeString:
    """`text` as HTML: maths spans typeset as MathML, everything else escaped."""
    parts, last = [], 0
    for span in _SPAN.finditer(text):
        parts.append(_plain(text[last : span.start()]))
        if span["code"] is not None:
            parts.append(f"<code>{escape(span['code'])}</code>")
        elif span["display"] is not None:
            parts.append(to_mathml(span["display"], display=True))
        else:
            parts.append(to_mathml(span["inline"]))
        last = span.end()
    parts.append(_plain(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - escaped text and checked MathML


def _plain(text):
    if re.search(r"(?<!\\)\$", text):
        raise MathsError(f"Unmatched $ in {text.strip()!r}: close the maths span or write \\$.")
    return escape(text.replace("\\$", "$"))


def _words(camel):
    return re.sub(r"(?<!^)(?=[A-Z])", " ", camel).lower()
