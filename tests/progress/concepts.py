"""Concepts with recall cards taught by resources, made directly for the progress tests."""

from catalog.models import Concept, ConceptLocation, Domain, RecallCard


def concept_with_cards(slug, resources=(), area="linear-algebra", level="beginner",
                       published=True, kinds=("formula", "meaning", "worked")):
    domain = Domain.objects.get(slug=area)
    concept = Concept.objects.create(
        slug=slug, title=slug.replace("-", " ").capitalize(), domain=domain, level=level,
        why="It matters for AI. Models use it all the time.", published=published,
    )
    for position, kind in enumerate(kinds):
        RecallCard.objects.create(
            concept=concept, key=kind, kind=kind, position=position,
            prompt=f"{kind.capitalize()} of {slug}: what is $\\frac{{a}}{{b}}$ when $a = 2b$?",
            answer=f"For {slug}, $\\frac{{a}}{{b}} = 2$.",
        )
    for resource in resources:
        ConceptLocation.objects.create(concept=concept, resource=resource, where="Chapter 3")
    return concept
