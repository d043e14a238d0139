"""Typeset maths: LaTeX in cards becomes MathML on the server, everything else is escaped."""

import pytest
import yaml
from django.template import engines

from catalog.concept_loader import DEFAULT_PATH
from catalog.maths import MathsError, render_maths

MATHML = '<math xmlns="http://www.w3.org/1998/Math/MathML"'


def test_inline_and_display_maths_become_mathml_and_the_rest_is_escaped():
    html = render_maths(r"If <b>$x^2$</b> then $$\frac{a}{b}$$ costs \$5 & `np.dot(w, x)`")
    assert html.startswith("If &lt;b&gt;" + MATHML + ' display="inline"><mrow><msup>')
    assert f'&lt;/b&gt; then {MATHML} display="block">' in html
    assert "<mfrac>" in html
    assert html.endswith(" costs $5 &amp; <code>np.dot(w, x)</code>")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (r"$\frac{a}{$", r"Can't typeset the LaTeX $\frac{a}{$"),
        (r"$\nosuch x$", r"unknown command \nosuch"),
        (r"$a^$", "Can't typeset the LaTeX $a^$"),
        ("costs $5", "Unmatched $ in 'costs $5'"),
        ("$ $", "Empty maths span"),
        (r"$\text{<script>alert(1)</script>}$", "it holds markup"),
        (r"$\text{</mtext></math><img src=x onerror=alert(1)>}$", "it holds markup"),
    ],
)
def test_bad_latex_is_refused_with_a_message_that_quotes_it(text, message):
    with pytest.raises(MathsError) as raised:
        render_maths(text)
    assert message in str(raised.value)


def test_the_template_filter_typesets():
    template = engines["django"].from_string("{% load maths %}{{ text|maths }}")
    html = template.render({"text": r"<i>$\lambda$</i>"})
    assert html.startswith("&lt;i&gt;" + MATHML) and "&#x003BB;" in html


def _curated_cards():
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    for concept in data["concepts"]:
        for card in concept.get("cards", []):
            yield pytest.param(card, id=f"{concept['slug']}/{card['key']}")


@pytest.mark.parametrize("card", list(_curated_cards()))
def test_every_curated_cards_maths_converts_to_mathml(card):
    for field in ("prompt", "answer"):
        text = card[field]
        html = render_maths(text)
        assert html.count(MATHML) == text.replace(r"\$", "").count("$") // 2 - text.count("$$") // 2


def test_every_curated_concept_has_a_formula_a_meaning_and_a_worked_card():
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    for concept in data["concepts"]:
        kinds = [card["kind"] for card in concept["cards"]]
        assert {"formula", "meaning", "worked"} <= set(kinds), concept["slug"]
