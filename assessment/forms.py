"""The self-assessment questionnaire, the calibration check and the roadmap's small forms."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.forms import weekly_hours_field
from accounts.models import Budget, Goal
from assessment.calibration import QUESTIONS
from assessment.roadmap import AREA_DOMAINS, AREA_TITLES, DISCRETE_MATH
from catalog.maths import render_maths
from catalog.models import Style

# The guide's question per area, and what 1, 3 and 5 mean in plain language.
RATING_GUIDE = {
    "linear_algebra": {
        "label": AREA_TITLES[AREA_DOMAINS["linear_algebra"]],
        "question": "Can you explain what a matrix transformation does and why it matters?",
        1: "Matrices are grids of numbers to me; I couldn't say what multiplying by one does.",
        3: "I can multiply matrices and know a matrix moves vectors around, but eigenvalues "
        "and why they matter are hazy.",
        5: "I can explain transformations, eigenvalues and why they power neural networks "
        "and dimensionality reduction.",
    },
    "calculus": {
        "label": AREA_TITLES[AREA_DOMAINS["calculus"]],
        "question": "Do you understand derivatives and why they're essential for optimization?",
        1: "I've heard of derivatives but couldn't compute or explain one.",
        3: "I can differentiate simple functions and know a derivative is a rate of change, "
        "but partial derivatives and gradients are shaky.",
        5: "I can work with partial derivatives, gradients and the chain rule, and explain "
        "how gradient descent uses them.",
    },
    "probability_statistics": {
        "label": AREA_TITLES[AREA_DOMAINS["probability_statistics"]],
        "question": "Can you explain Bayes' theorem in simple terms or interpret a "
        "confidence interval?",
        1: "Probability beyond coin flips loses me; distributions are unfamiliar.",
        3: "I know the common distributions and expected values, but Bayes' theorem and "
        "confidence intervals need a second look.",
        5: "I can explain Bayes' theorem with an example and say what a confidence "
        "interval does and doesn't tell you.",
    },
    "programming": {
        "label": AREA_TITLES[AREA_DOMAINS["programming"]],
        "question": "Are you comfortable translating mathematical notation into code?",
        1: "I can program a little, but turning a formula into code is a puzzle.",
        3: "I can turn a summation into a loop and use NumPy arrays, with some trial and error.",
        5: "I write vectorised NumPy straight from the notation: sums, products and matrix "
        "shapes hold no surprises.",
    },
    # The optional fifth area: the home page's fourth domain, outside the guide's core tree.
    "discrete_math": {
        "label": AREA_TITLES[DISCRETE_MATH],
        "question": "Optional. Can you explain what a graph is and how an algorithm walks it?",
        1: "Graphs, logic and counting arguments are new to me.",
        3: "I know what nodes and edges are and can follow a breadth-first search.",
        5: "I can explain graph traversals, proofs by induction and basic combinatorics.",
    },
}
# The four core areas of the guide's tree; discrete maths comes after them and may be blank.
RATING_FIELDS = ("linear_algebra", "calculus", "probability_statistics", "programming")
OPTIONAL_RATING_FIELDS = ("discrete_math",)


def _rating_choices(area, optional=False):
    guide = RATING_GUIDE[area]
    choices = [(n, f"{n} — {guide[n]}" if n in guide else str(n)) for n in range(1, 6)]
    if optional:
        choices.insert(0, ("", "Leave it blank: plan it only if my goal leans on graphs and logic"))
    return choices


class RatingField(forms.IntegerField):
    """An integer from 1 to 5 picked with radio buttons described in plain language."""

    def __init__(self, area, required=True, **kwargs):
        super().__init__(
            label=RATING_GUIDE[area]["label"],
            help_text=RATING_GUIDE[area]["question"],
            min_value=1,
            max_value=5,
            required=required,
            widget=forms.RadioSelect(choices=_rating_choices(area, optional=not required)),
            error_messages={
                "required": "Choose a rating from 1 to 5.",
                "invalid": "Choose a rating from 1 to 5.",
                "min_value": "Choose a rating from 1 to 5.",
                "max_value": "Choose a rating from 1 to 5.",
            },
            **kwargs,
        )


class SubmissionKeyField(forms.UUIDField):
    """A hidden random key, fresh each time the form is rendered, that makes resending safe."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, initial=uuid.uuid4, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            # Only a tampered form sends a malformed key: it loses the double-submit guard,
            # not the answers.
            return None


class AssessmentForm(forms.Form):
    """Field names are a contract shared with the tests and the export.

    `submission_key` is optional: a form without it (an old page, a script) is still saved.
    """

    goal = forms.ChoiceField(
        label="What do you want to build with AI?",
        choices=Goal.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you want to build."},
    )
    linear_algebra = RatingField("linear_algebra")
    calculus = RatingField("calculus")
    probability_statistics = RatingField("probability_statistics")
    programming = RatingField("programming")
    discrete_math = RatingField("discrete_math", required=False)
    budget = forms.ChoiceField(
        label="Budget", choices=Budget.choices, widget=forms.RadioSelect, initial=Budget.ANY
    )
    styles = forms.MultipleChoiceField(
        label="How do you like to learn?",
        choices=Style.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Resources that match come first among equal alternatives.",
    )
    weekly_hours = weekly_hours_field(initial=5)
    submission_key = SubmissionKeyField()

    def rating_fields(self):
        """The four core areas, then the optional discrete maths (never before them)."""
        return [self[name] for name in (*RATING_FIELDS, *OPTIONAL_RATING_FIELDS)]

    def preference_fields(self):
        return [self[name] for name in ("budget", "styles", "weekly_hours")]


class CalibrationForm(forms.Form):
    """Multiple-choice questions, one field per question, named by the question's key.

    Labels and choices are typeset: the cards' maths is LaTeX, drawn as MathML.
    """

    def __init__(self, *args, questions=QUESTIONS, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[q.key] = forms.TypedChoiceField(
                label=render_maths(q.text),
                choices=[(n, render_maths(choice)) for n, choice in enumerate(q.choices)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Pick an answer (a guess is fine)."},
            )

    def fields_for(self, area):
        return [self[q.key] for q in self.questions if q.area == area]


class SkipForm(forms.Form):
    reason = forms.CharField(
        label="Why skip it? (optional)", max_length=200, required=False, strip=True
    )


class AddResourceForm(forms.Form):
    resource = forms.SlugField(label="Resource", max_length=200)
    # Where a catalogue card's button came from; only a path on this site is kept.
    next = forms.CharField(required=False, max_length=2000)

    def clean_next(self):
        target = self.cleaned_data["next"]
        on_this_site = url_has_allowed_host_and_scheme(target, allowed_hosts=None)
        return target if on_this_site and target.startswith("/") else ""
