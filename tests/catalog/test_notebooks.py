"""Exercise notebooks: every shipped one works with its solution and fails with its starter."""

import ast
import sys

import nbformat
import pytest

from catalog.models import Exercise, Level
from catalog.notebooks import build_notebook, notebook_text

AREAS = [
    "linear-algebra",
    "calculus",
    "probability-statistics",
    "programming-math",
    "discrete-math",
]
ALLOWED_MODULES = set(sys.stdlib_module_names) | {"numpy"}


def run(notebook):
    """Run the code cells in order in one namespace, as Jupyter would."""
    namespace = {"__name__": "__main__"}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, "<notebook cell>", "exec"), namespace)  # noqa: S102


def shipped_exercises():
    """Every exercise in the curated data file (the real catalogue is loaded once for the
    module; the choice of an exercise, on data of its own, is in test_exercise_choice.py)."""
    return list(Exercise.objects.select_related("concept").order_by("concept__slug"))


@pytest.fixture
def shipped(real_catalogue_for_the_module):
    return shipped_exercises()


@pytest.mark.django_db
def test_every_shipped_solution_passes_its_checks(shipped):
    assert shipped
    for exercise in shipped:
        run(build_notebook(exercise, solution=True))


@pytest.mark.django_db
def test_every_shipped_starter_fails_its_checks(shipped):
    for exercise in shipped:
        with pytest.raises(Exception) as raised:
            run(build_notebook(exercise))
        assert raised.type in (AssertionError, NotImplementedError), exercise.concept.slug


@pytest.mark.django_db
def test_shipped_notebooks_use_only_numpy_and_the_standard_library(shipped):
    for exercise in shipped:
        for code in (exercise.starter, exercise.solution, exercise.checks):
            for node in ast.walk(ast.parse(code)):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                for name in names:
                    assert name.split(".")[0] in ALLOWED_MODULES, (exercise.concept.slug, name)


@pytest.mark.django_db
def test_every_area_has_an_exercise_at_every_level(shipped):
    found = {(e.concept.domain.slug, e.concept.level) for e in shipped}
    missing = {(a, level) for a in AREAS for level in Level.values} - found
    assert not missing


@pytest.mark.django_db
def test_a_served_notebook_is_valid_and_holds_no_solution(shipped):
    for exercise in shipped:
        text = notebook_text(exercise)
        nbformat.validate(nbformat.reads(text, as_version=4))
        assert exercise.solution.strip() not in text
