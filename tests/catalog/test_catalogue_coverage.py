"""The shipped catalogue gives every area real work at every level (issue 16, item 3).

These tests load the real data file through `loadcatalog`, as `make migrate` does, and read
what a learner would be offered from the database.
"""

from collections import Counter

import pytest

from catalog.models import Domain, Level, Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_catalogue(real_catalogue_for_the_module):
    """Every test here reads the shipped catalogue and changes nothing: load it once."""

AREAS = [
    Domain.LINEAR_ALGEBRA,
    Domain.CALCULUS,
    Domain.PROBABILITY_STATISTICS,
    Domain.PROGRAMMING_MATH,
    Domain.DISCRETE_MATH,
]
WORKING_ROLES = {"understand", "practise", "apply"}

# The resources the study guide itself names. Anything else in the catalogue is the
# curators' addition and must say so to the learner.
NAMED_BY_THE_GUIDE = {
    "khan-academy-linear-algebra",
    "khan-academy-multivariable-calculus",
    "khan-academy-statistics-probability",
    "3blue1brown-essence-of-linear-algebra",
    "3blue1brown-essence-of-calculus",
    "brilliant-neural-networks",
    "brilliant-linear-algebra-for-machine-learning",
    "no-bullshit-guide-math-physics",
    "think-stats",
    "mathematics-for-machine-learning",
    "andrew-ng-machine-learning",
    "fastai-practical-deep-learning",
    "mit-introduction-to-deep-learning",
    "statquest",
    "arxiv-insights",
    "two-minute-papers",
    "kaggle-learn",
    "google-machine-learning-crash-course",
    "datacamp-numpy-pandas",
    "numpy",
    "jupyter",
    "deep-learning-goodfellow-bengio-courville",
    "pattern-recognition-and-machine-learning",
    "elements-of-statistical-learning",
    "arxiv",
    "papers-with-code",
    "distill",
    "anki",
}


def working_resources(area, level):
    """Published resources of `area` at `level` a step can require: not references."""
    return (
        Resource.objects.published()
        .filter(domains__slug=area, level=level, is_reference=False)
        .exclude(role="reference")
    )


@pytest.mark.parametrize("level", Level.values)
@pytest.mark.parametrize("area", AREAS)
def test_every_area_has_two_working_resources_at_every_level(real_catalogue, area, level):
    resources = list(working_resources(area, level))
    assert len(resources) >= 2, f"{area} at {level}: {[r.slug for r in resources]}"
    for resource in resources:
        # Each carries what the roadmap shows: its role, cost, hours and how to use it.
        assert resource.role in WORKING_ROLES, resource.slug
        assert resource.estimated_hours, resource.slug
        assert resource.how_to_use, resource.slug
        assert resource.price_label, resource.slug


@pytest.mark.parametrize("level", Level.values)
def test_calculus_offers_optimisation_focused_work_at_every_level(real_catalogue, level):
    focused = working_resources(Domain.CALCULUS, level).filter(optimisation_focused=True)
    assert focused.exists(), level


def test_every_link_is_https_and_no_two_resources_share_one(real_catalogue):
    urls = list(Resource.objects.values_list("url", flat=True))
    assert [url for url in urls if not url.startswith("https://")] == []
    assert [url for url, count in Counter(urls).items() if count > 1] == []


def test_resources_the_guide_does_not_name_say_they_are_beyond_it(real_catalogue):
    for resource in Resource.objects.all():
        says_so = "beyond the guide" in resource.summary.lower()
        assert says_so == (resource.slug not in NAMED_BY_THE_GUIDE), resource.slug
        assert resource.beyond_guide == says_so, resource.slug


def test_the_candidates_the_issue_names_are_in_the_catalogue(real_catalogue):
    expected = {
        "mit-18-06-linear-algebra": (Domain.LINEAR_ALGEBRA, "practise"),
        "matrix-calculus-for-deep-learning": (Domain.CALCULUS, "understand"),
        "harvard-stat-110": (Domain.PROBABILITY_STATISTICS, "practise"),
        "think-bayes": (Domain.PROBABILITY_STATISTICS, "apply"),
        "fastai-computational-linear-algebra": (Domain.PROGRAMMING_MATH, "apply"),
        "discrete-mathematics-open-introduction": (Domain.DISCRETE_MATH, "practise"),
    }
    for slug, (area, role) in expected.items():
        resource = Resource.objects.get(slug=slug)
        assert resource.domains.filter(slug=area).exists(), slug
        assert resource.role == role, slug
        assert resource.is_free, slug
    assert Resource.objects.get(slug="matrix-calculus-for-deep-learning").optimisation_focused
    assert Resource.objects.get(slug="think-bayes").approach == "applied"
    assert Resource.objects.get(slug="harvard-stat-110").approach == "theory"


def test_a_resource_page_says_whether_the_guide_names_it(real_catalogue, client):
    named = client.get("/catalog/khan-academy-linear-algebra/").content.decode()
    added = client.get("/catalog/mit-18-06-linear-algebra/").content.decode()
    assert "Named by the guide MathPath follows" in named and "Beyond the guide" not in named
    assert "Beyond the guide" in added
