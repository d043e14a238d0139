"""'Code it within 24 hours': exercise notebooks built with nbformat, and which one to suggest.

A notebook is the task in Markdown, the starter code (or, for tests only, the solution), the
checks as assert cells and a "break it" cell. Only NumPy and the standard library are used,
so it runs in any Jupyter.
"""

import nbformat
from nbformat import v4

from catalog.models import Concept, Exercise


def build_notebook(exercise, *, solution=False):
    """The exercise as a notebook; `solution=True` puts the solution where the starter goes."""
    concept = exercise.concept
    cells = [
        v4.new_markdown_cell(
            f"# {exercise.title}\n\n*{concept.title}* ({concept.get_level_display().lower()})"
            f"\n\n{concept.why}\n\n## Your task\n\n{exercise.task.strip()}"
        ),
        v4.new_code_cell(exercise.solution if solution else exercise.starter),
        v4.new_markdown_cell("## Check it\n\nRun this cell. It fails until your code above works."),
        v4.new_code_cell(exercise.checks),
        v4.new_markdown_cell(f"## Break it\n\n{exercise.break_it.strip()}"),
        v4.new_code_cell("# Change a parameter here, predict the result, then run it.\n"),
    ]
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.validate(notebook)
    return notebook


def notebook_text(exercise):
    """The learner's notebook (starter code, never the solution) as .ipynb JSON."""
    return nbformat.writes(build_notebook(exercise))


def exercise_for(concept_slugs, level, exclude=()):
    """The exercise to suggest after a resource with these concepts at this level, or None.

    An exercise of one of the concepts themselves comes first, the nearest to `level`;
    failing that, one of another concept in the same areas. Exercises whose ids are in
    `exclude` (already suggested) are passed over.
    """
    slugs = list(concept_slugs)
    found = Exercise.objects.for_concepts(slugs, level).exclude(pk__in=list(exclude)).first()
    if found or not slugs:
        return found
    same_areas = Concept.objects.published().filter(
        domain__in=Concept.objects.filter(slug__in=slugs).values("domain")
    )
    nearby = same_areas.values_list("slug", flat=True)
    return Exercise.objects.for_concepts(nearby, level).exclude(pk__in=list(exclude)).first()
