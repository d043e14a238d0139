"""Resource validation, prerequisites and full-text search."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Cost, Format, Resource, Style
from tests.catalog.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def errors_of(resource):
    with pytest.raises(ValidationError) as raised:
        resource.full_clean(exclude=["domains", "prerequisites"])
    return raised.value.message_dict


def test_a_paid_resource_needs_a_price():
    resource = ResourceFactory.build(cost=Cost.PAID_MONTHLY, price_usd=None)
    assert "needs an approximate price" in errors_of(resource)["price_usd"][0]


def test_a_free_resource_has_no_price():
    resource = ResourceFactory.build(cost=Cost.FREE, price_usd=Decimal("5"))
    assert "has no price" in errors_of(resource)["price_usd"][0]


def test_unknown_learning_styles_are_refused():
    resource = ResourceFactory.build(styles=[Style.VISUAL, "telepathy"])
    assert "telepathy" in errors_of(resource)["styles"][0]


def test_only_http_links_are_allowed():
    resource = ResourceFactory.build(url="ftp://example.com/book")
    assert "url" in errors_of(resource)


def test_a_valid_resource_passes_validation():
    ResourceFactory.build(cost=Cost.PAID_ONCE, price_usd=Decimal("30")).full_clean(
        exclude=["domains", "prerequisites"]
    )


def test_price_label_reads_naturally():
    assert ResourceFactory.build(cost=Cost.FREE_PDF).price_label == "Free PDF"
    monthly = ResourceFactory.build(cost=Cost.PAID_MONTHLY, price_usd=Decimal("13.00"))
    assert monthly.price_label == "Paid monthly, about 13 USD"
    once = ResourceFactory.build(cost=Cost.PAID_ONCE, price_usd=Decimal("29.99"))
    assert once.price_label == "Paid once, about 29.99 USD"
    # The filter names the cost with the same words the label starts with.
    assert monthly.price_label.startswith(Cost.PAID_MONTHLY.label)


def test_a_resource_cannot_be_its_own_prerequisite():
    resource = ResourceFactory()
    assert "its own prerequisite" in resource.prerequisite_errors([resource])[0]


def test_a_prerequisite_that_builds_on_the_resource_makes_a_cycle():
    basics = ResourceFactory(title="Basics")
    middle = ResourceFactory(title="Middle", prerequisites=[basics])
    advanced = ResourceFactory(title="Advanced", prerequisites=[middle])
    errors = basics.prerequisite_errors([advanced])
    assert errors and "cycle" in errors[0] and "Advanced" in errors[0]


def test_unrelated_prerequisites_are_fine():
    basics, other = ResourceFactory(), ResourceFactory()
    advanced = ResourceFactory(prerequisites=[basics])
    assert advanced.prerequisite_errors([basics, other]) == []
    assert ResourceFactory.build().prerequisite_errors([basics]) == []


def test_search_matches_word_prefixes_so_eigen_finds_eigenvalues():
    ResourceFactory(title="Matrices", summary="Covers eigenvalues and eigenvectors.")
    ResourceFactory(title="Derivatives", summary="Covers the chain rule.")
    assert [r.title for r in Resource.objects.search("eigen")] == ["Matrices"]


def test_search_ranks_title_matches_above_summary_matches():
    ResourceFactory(title="Statistics basics", summary="Mentions gradient once.")
    ResourceFactory(title="Gradient descent explained", summary="Optimisation, step by step.")
    titles = [r.title for r in Resource.objects.search("gradient")]
    assert titles == ["Gradient descent explained", "Statistics basics"]


def test_search_needs_every_word_and_ignores_punctuation():
    ResourceFactory(title="Gradient descent", summary="Optimisation.")
    ResourceFactory(title="Gradient boosting", summary="Trees.")
    assert [r.title for r in Resource.objects.search("gradient & !desc:*")] == ["Gradient descent"]
    assert Resource.objects.search("!!!").count() == 2


@pytest.mark.parametrize(
    "fields, approach",
    [
        ({"format": Format.TOOL}, "A tool to use alongside what you study"),
        ({"format": Format.VIDEO_SERIES}, "Watch in order"),
        ({"format": Format.BOOK, "is_reference": True}, "A reference: look things up by topic"),
        ({"format": Format.COURSE}, "A course: work through it in order"),
    ],
)
def test_how_to_approach_it_follows_the_format_and_reference_flag(fields, approach):
    assert ResourceFactory.build(**fields).how_to_approach.startswith(approach)


def test_every_format_says_how_to_approach_it():
    assert all(ResourceFactory.build(format=f).how_to_approach for f in Format.values)
