"""Factories for the assessment tests: a small catalogue and assessments."""

import factory

from assessment.models import Assessment
from catalog.models import Domain, Resource
from tests.factories import UserFactory

DOMAIN_NAMES = {
    "linear-algebra": "Linear algebra",
    "calculus": "Calculus",
    "probability-statistics": "Probability & statistics",
    "discrete-math": "Discrete mathematics",
    "programming-math": "Programming mathematics",
}


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("slug",)

    slug = "linear-algebra"
    name = factory.LazyAttribute(lambda d: DOMAIN_NAMES.get(d.slug, d.slug))


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Resource {n}")
    slug = factory.Sequence(lambda n: f"resource-{n}")
    provider = "Somebody"
    url = factory.LazyAttribute(lambda r: f"https://example.com/{r.slug}")
    format = "course"
    level = "beginner"
    cost = "free"
    summary = "A resource."
    estimated_hours = 10

    @factory.post_generation
    def domains(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.domains.set([DomainFactory(slug=slug) for slug in extracted])


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    user = factory.SubFactory(UserFactory)
    linear_algebra = 3
    calculus = 3
    probability_statistics = 3
    programming = 3
    goal = "general-ml"
    budget = "any"
    styles = factory.LazyFunction(list)
    weekly_hours = 5


def small_catalogue():
    """Two resources per level in each of the four areas, plus references and research."""
    made = {}
    areas = ["linear-algebra", "calculus", "probability-statistics", "programming-math"]
    for area in areas:
        for level in ["beginner", "intermediate", "advanced"]:
            for n in (1, 2):
                slug = f"{area}-{level}-{n}"
                made[slug] = ResourceFactory(
                    slug=slug, title=f"{area} {level} {n}".capitalize(), level=level,
                    domains=[area],
                )
    made["deep-learning-book"] = ResourceFactory(
        slug="deep-learning-book", title="Deep Learning", level="advanced", format="book",
        is_reference=True, domains=["linear-algebra"],
    )
    made["arxiv"] = ResourceFactory(
        slug="arxiv", title="arXiv", level="advanced", format="research-source"
    )
    made["paid-course"] = ResourceFactory(
        slug="paid-course", title="Paid course", level="beginner", cost="paid-monthly",
        price_usd=13, domains=["linear-algebra"],
    )
    return made
