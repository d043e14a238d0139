"""factory-boy factories for the catalogue (also used by benchmarks/catalog_list.py)."""

import factory
from django.utils.text import slugify

from catalog.models import Cost, Domain, Format, Level, Resource, Style


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
