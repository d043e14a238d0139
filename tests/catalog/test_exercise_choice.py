"""Which exercise a learner is offered: the concept's own, nearest the level, never twice."""

import pytest

from catalog.models import Concept, Exercise, Level
from catalog.notebooks import exercise_for
from tests.catalog.factories import ConceptFactory, DomainFactory


@pytest.mark.django_db
def test_exercise_for_picks_the_concepts_own_exercise_nearest_the_level():
    area = DomainFactory(slug="calculus", name="Calculus")
    easy, medium, hard = (ConceptFactory(domain=area, level=level) for level in Level.values)
    exercises = {}
    for concept in (easy, medium, hard):
        exercises[concept.level] = Exercise.objects.create(
            concept=concept,
            title=concept.level,
            task="t",
            starter="s",
            solution="s",
            checks="c",
            break_it="b",
        )
    slugs = [easy.slug, medium.slug, hard.slug]
    assert exercise_for(slugs, "intermediate") == exercises["intermediate"]
    assert exercise_for([easy.slug, hard.slug], "intermediate") == exercises["beginner"]
    assert exercise_for([hard.slug], "beginner") == exercises["advanced"]
    # Never the same one twice: the caller passes those already suggested.
    already = [exercises["intermediate"].pk]
    assert exercise_for(slugs, "intermediate", exclude=already) == exercises["beginner"]
    # A concept without its own exercise gets one from its area.
    other = ConceptFactory(domain=area, level="advanced")
    assert exercise_for([other.slug], "advanced") == exercises["advanced"]
    assert exercise_for([], "beginner") is None
    # An unpublished concept's exercise is never suggested.
    Concept.objects.exclude(pk=other.pk).update(published=False)
    assert exercise_for([other.slug], "advanced") is None
