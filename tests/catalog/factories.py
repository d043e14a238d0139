"""factory-boy factories for the catalogue (also used by benchmarks/catalog_list.py)."""

import factory
from django.utils.text import slugify

from catalog.models import (
    CardKind,
    Concept,
    ConceptLocation,
    Cost,
    Domain,
    Format,
    Level,
    RecallCard,
    Resource,
    Style,
)


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"domain-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())
    order = factory.Sequence(lambda n: n)
    description = "An area of mathematics."


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Resource {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    provider = "Example Academy"
    url = factory.LazyAttribute(lambda o: f"https://example.com/{o.slug}")
    format = Format.COURSE
    level = Level.BEGINNER
    cost = Cost.FREE
    price_usd = None
    styles = factory.LazyFunction(lambda: [Style.STRUCTURED])
    estimated_hours = 10
    summary = "A course that teaches the mathematics behind machine learning."
    how_to_use = "Work through it in order."
    published = True

    @factory.post_generation
    def domains(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.domains.set(extracted)

    @factory.post_generation
    def prerequisites(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.prerequisites.set(extracted)


class ConceptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concept
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Concept {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    domain = factory.SubFactory(DomainFactory, slug="linear-algebra", name="Linear algebra")
    level = Level.BEGINNER
    why = "It matters for AI. It is used everywhere."
    position = factory.Sequence(lambda n: n)
    published = True

    @factory.post_generation
    def prerequisites(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.prerequisites.set(extracted)


class RecallCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecallCard

    concept = factory.SubFactory(ConceptFactory)
    key = factory.Sequence(lambda n: f"card-{n}")
    kind = CardKind.FORMULA
    prompt = "What is $a^2 + b^2$ for a right triangle?"
    answer = "$c^2$"
    position = factory.Sequence(lambda n: n)


class ConceptLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConceptLocation

    concept = factory.SubFactory(ConceptFactory)
    resource = factory.SubFactory(ResourceFactory)
    where = "Chapter 1"
