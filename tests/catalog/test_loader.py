"""`loadcatalog`: the real data file, idempotency, curators' edits, and errors."""

import io

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.loader import DEFAULT_PATH
from catalog.models import Domain, Format, Level, Resource

pytestmark = pytest.mark.django_db

REQUIRED_DOMAINS = {
    "linear-algebra",
    "calculus",
    "probability-statistics",
    "discrete-math",
    "programming-math",
}


def load(path=None):
    out = io.StringIO()
    call_command("loadcatalog", *([str(path)] if path else []), stdout=out)
    return out.getvalue()


def small_catalogue(**resource_overrides):
    resource = {
        "slug": "vectors",
        "title": "Vectors",
        "provider": "Example Academy",
        "url": "https://example.com/vectors",
        "format": "course",
        "level": "beginner",
        "domains": ["linear-algebra"],
        "summary": "Vectors and eigenvalues.",
        "styles": ["visual"],
    }
    resource.update(resource_overrides)
    return {
        "domains": [{"slug": "linear-algebra", "name": "Linear algebra", "order": 1}],
        "resources": [
            resource,
            {
                "slug": "matrices",
                "title": "Matrices",
                "provider": "Example Academy",
                "url": "https://example.com/matrices",
                "format": "book",
                "level": "intermediate",
                "domains": ["linear-algebra"],
                "summary": "Matrices.",
                "prerequisites": ["vectors"],
            },
        ],
    }


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "catalog.yaml"

    def write(data):
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return path

    return write


def test_the_real_data_file_loads_every_resource_of_the_guide():
    output = load()
    assert "55 resources created" in output
    assert set(Domain.objects.values_list("slug", flat=True)) >= REQUIRED_DOMAINS
    assert Resource.objects.published().count() >= 25
    for title in [
        "Essence of Linear Algebra",
        "Essence of Calculus",
        "Think Stats",
        "Mathematics for Machine Learning",
        "Pattern Recognition and Machine Learning",
        "The Elements of Statistical Learning",
        "Anki",
        "Distill",
    ]:
        assert Resource.objects.filter(title=title).exists(), title
    bishop = Resource.objects.get(slug="pattern-recognition-and-machine-learning")
    assert bishop.is_reference and bishop.level == Level.ADVANCED and bishop.approach == "theory"
    assert "chapters 1 and 2" in bishop.how_to_use
    brilliant = Resource.objects.get(slug="brilliant-neural-networks")
    assert brilliant.price_label == "Paid monthly, about 13 USD"
    assert Resource.objects.get(slug="fastai-practical-deep-learning").optimisation_focused
    assert not Resource.objects.get(slug="khan-academy-multivariable-calculus").optimisation_focused
    assert Resource.objects.get(slug="think-stats").approach == "applied"
    assert Resource.objects.filter(domains__slug="discrete-math").exists()
    mml = Resource.objects.get(slug="mathematics-for-machine-learning")
    assert set(mml.builds_on_this.values_list("slug", flat=True)) >= {
        "deep-learning-goodfellow-bengio-courville",
        "pattern-recognition-and-machine-learning",
    }


def test_research_sources_and_textbooks_are_advanced():
    load()
    for resource in Resource.objects.filter(format=Format.RESEARCH_SOURCE):
        assert resource.level == Level.ADVANCED
    for slug in ["deep-learning-goodfellow-bengio-courville", "elements-of-statistical-learning"]:
        resource = Resource.objects.get(slug=slug)
        assert resource.level == Level.ADVANCED and resource.is_reference


def test_running_it_twice_changes_nothing_the_second_time():
    load()
    before = list(Resource.objects.order_by("slug").values_list("slug", "updated_at"))
    output = load()
    assert "0 resources created, 0 updated, 55 unchanged" in output
    assert "0 domains created, 0 updated" in output
    assert list(Resource.objects.order_by("slug").values_list("slug", "updated_at")) == before


def test_it_keeps_fields_a_curator_edited_and_updates_the_others(data_file):
    load(data_file(small_catalogue()))
    vectors = Resource.objects.get(slug="vectors")
    vectors.level = Level.INTERMEDIATE  # a curator's edit in the admin
    vectors.published = False
    vectors.save()
    vectors.domains.add(Domain.objects.create(slug="calculus", name="Calculus"))

    output = load(
        data_file(
            small_catalogue(level="advanced", summary="New summary.", domains=["linear-algebra"])
        )
    )

    vectors.refresh_from_db()
    assert vectors.level == Level.INTERMEDIATE
    assert vectors.summary == "New summary."
    assert not vectors.published
    assert set(vectors.domains.values_list("slug", flat=True)) == {"linear-algebra", "calculus"}
    assert "Kept 2 field(s) edited in the admin: vectors.domains, vectors.level." in output
    # And the edit stays the curator's on every later load.
    load(data_file(small_catalogue(level="beginner")))
    vectors.refresh_from_db()
    assert vectors.level == Level.INTERMEDIATE


def test_it_never_overwrites_a_resource_a_curator_created_first(data_file):
    Domain.objects.create(slug="linear-algebra", name="Linear algebra")
    Resource.objects.create(
        slug="vectors",
        title="My vectors",
        provider="Me",
        url="https://example.org/",
        format="course",
        level="advanced",
        summary="Mine.",
    )
    load(data_file(small_catalogue()))
    vectors = Resource.objects.get(slug="vectors")
    assert (vectors.title, vectors.level) == ("My vectors", "advanced")
    assert Resource.objects.count() == 2


def test_it_sets_prerequisites_from_the_file(data_file):
    load(data_file(small_catalogue()))
    matrices = Resource.objects.get(slug="matrices")
    assert list(matrices.prerequisites.values_list("slug", flat=True)) == ["vectors"]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"level": "expert"}, "resource 'vectors', field 'level'"),
        ({"title": None}, "resource 'vectors', field 'title': must be text"),
        ({"domains": ["topology"]}, "resource 'vectors', field 'domains': no domain"),
        ({"cost": "paid-monthly"}, "resource 'vectors', field 'price_usd'"),
        ({"styles": ["telepathy"]}, "resource 'vectors', field 'styles'"),
        ({"url": "not a url"}, "resource 'vectors', field 'url'"),
        ({"colour": "blue"}, "resource 'vectors', field 'colour': unknown field"),
        ({"estimated_hours": "lots"}, "resource 'vectors', field 'estimated_hours'"),
        ({"prerequisites": ["matrices"]}, "field 'prerequisites': makes a cycle"),
        ({"prerequisites": ["vectors"]}, "field 'prerequisites': makes a cycle"),
    ],
)
def test_invalid_data_names_file_record_and_field_and_changes_nothing(
    data_file, overrides, expected
):
    load(data_file(small_catalogue()))
    path = data_file(small_catalogue(summary="Changed.", **overrides))
    with pytest.raises(CommandError) as raised:
        load(path)
    message = str(raised.value)
    assert str(path) in message or "catalog.yaml" in message
    assert expected in message
    assert "Nothing was changed" in message
    assert Resource.objects.get(slug="vectors").summary == "Vectors and eigenvalues."


def test_a_missing_required_field_is_named(data_file):
    data = small_catalogue()
    del data["resources"][1]["summary"]
    with pytest.raises(CommandError, match=r"resource 'matrices', field 'summary': required"):
        load(data_file(data))
    assert not Resource.objects.exists()
    assert not Domain.objects.exists()


def test_broken_yaml_is_reported_with_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("domains: [unclosed\n")
    with pytest.raises(CommandError, match=r"broken\.yaml: not valid YAML"):
        load(path)


def test_the_default_file_is_the_one_in_the_repository():
    assert DEFAULT_PATH.name == "catalog.yaml" and DEFAULT_PATH.exists()


def test_a_longer_prerequisite_cycle_in_the_file_is_named(data_file):
    data = small_catalogue(prerequisites=["tensors"])
    data["resources"].append(
        {**data["resources"][1], "slug": "tensors", "prerequisites": ["matrices"]}
    )
    with pytest.raises(CommandError) as raised:
        load(data_file(data))
    assert "makes a cycle (matrices → vectors → tensors → matrices)" in str(raised.value)


def test_a_cycle_made_with_a_curators_prerequisite_is_refused_and_rolled_back(data_file):
    load(data_file(small_catalogue()))
    vectors = Resource.objects.get(slug="vectors")
    extra = Resource.objects.create(
        slug="extra",
        title="Extra",
        provider="Me",
        url="https://example.org/",
        format="course",
        level="beginner",
        summary="Mine.",
    )
    extra.prerequisites.add(Resource.objects.get(slug="matrices"))  # a curator's edge
    with pytest.raises(CommandError, match="together with prerequisites set in the admin"):
        load(data_file(small_catalogue(prerequisites=["extra"], summary="Changed.")))
    vectors.refresh_from_db()
    assert vectors.summary == "Vectors and eigenvalues."
    assert not vectors.prerequisites.exists()
