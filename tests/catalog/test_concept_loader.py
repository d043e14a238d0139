"""Loading concepts: the real file, idempotency, curators' edits, and errors naming the place."""

import io
from collections import Counter

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.concept_loader import DEFAULT_PATH, load_concepts
from catalog.loader import CatalogDataError
from catalog.models import Concept, ConceptLocation, Domain, Exercise, RecallCard
from tests.catalog.factories import DomainFactory, ResourceFactory

pytestmark = pytest.mark.django_db

AREAS = {
    "linear-algebra",
    "calculus",
    "probability-statistics",
    "programming-math",
    "discrete-math",
}


def card(key, kind="meaning", prompt="What is $x$?", answer="$x = 1$"):
    return {"key": key, "kind": kind, "prompt": prompt, "answer": answer}


def concept(slug, **overrides):
    record = {
        "slug": slug,
        "title": slug.capitalize(),
        "domain": "linear-algebra",
        "level": "beginner",
        "why": "It matters. It is everywhere.",
        "locations": [{"resource": "essence", "where": "Chapter 1"}],
        "cards": [card("formula", "formula"), card("meaning"), card("worked", "worked")],
    }
    record.update(overrides)
    return record


@pytest.fixture
def catalogue(db):
    DomainFactory(slug="linear-algebra", name="Linear algebra")
    return ResourceFactory(slug="essence", title="Essence")


@pytest.fixture
def data_file(tmp_path, catalogue):
    path = tmp_path / "concepts.yaml"

    def write(*concepts):
        path.write_text(yaml.safe_dump({"concepts": list(concepts)}, sort_keys=False))
        return path

    return write


def two_concepts(**matrices):
    return concept("vectors"), concept("matrices", prerequisites=["vectors"], **matrices)


def test_the_command_loads_the_curated_concepts_after_the_resources():
    out = io.StringIO()
    call_command("loadcatalog", stdout=out)
    assert "Concepts loaded:" in out.getvalue()
    assert set(Concept.objects.values_list("domain__slug", flat=True)) >= AREAS
    rotation = Concept.objects.get(slug="linear-transformations")
    assert rotation.locations.get(resource__slug="3blue1brown-essence-of-linear-algebra").where == (
        "Chapter 3: Linear transformations and matrices"
    )
    assert list(rotation.prerequisites.values_list("slug", flat=True)) == ["vectors"]
    assert rotation.cards.count() >= 3


GUIDE_CONCEPTS = {
    # The guide's own list, area by area, then the goals' key concepts.
    "vectors", "linear-transformations", "eigenvalues", "matrix-multiplication",
    "derivatives", "partial-derivatives", "gradients", "gradient-descent", "backpropagation",
    "probability-distributions", "bayes-theorem", "expected-value", "confidence-intervals",
    "hypothesis-testing", "graphs", "logic",
    "convolution-as-linear-map", "matrix-factorisation", "similarity", "embeddings",
}  # fmt: skip


def test_the_curated_concepts_cover_the_guide_with_places_to_learn_and_three_cards_each():
    call_command("loadcatalog", stdout=io.StringIO())
    concepts = Concept.objects.prefetch_related("cards", "locations")
    assert concepts.count() >= 40
    assert set(concepts.values_list("slug", flat=True)) >= GUIDE_CONCEPTS
    for concept in concepts:
        assert concept.locations.all(), f"{concept.slug} has nowhere to learn it"
        kinds = {card.kind for card in concept.cards.all()}
        assert kinds == {"formula", "meaning", "worked"}, concept.slug
        assert concept.why.count(". ") >= 1, f"{concept.slug}: two sentences of why"
    by_area = Counter(concepts.values_list("domain__slug", flat=True))
    assert all(by_area[area] >= 5 for area in AREAS), by_area
    goodfellow = ConceptLocation.objects.get(
        concept__slug="backpropagation", resource__slug="deep-learning-goodfellow-bengio-courville"
    )
    assert goodfellow.where.startswith("Chapter 6")


def test_it_creates_concepts_cards_locations_and_exercises(data_file):
    exercise = {
        "title": "Code it",
        "task": "Write $f$.",
        "starter": "def f(): ...",
        "solution": "def f(): return 1",
        "checks": "assert f() == 1",
        "break_it": "Change 1.",
    }
    report = load_concepts(data_file(*two_concepts(exercise=exercise)))
    matrices = Concept.objects.get(slug="matrices")
    assert list(matrices.prerequisites.values_list("slug", flat=True)) == ["vectors"]
    assert list(Concept.objects.get(slug="vectors").unlocks.all()) == [matrices]
    assert list(matrices.cards.values_list("key", "position")) == [
        ("formula", 1),
        ("meaning", 2),
        ("worked", 3),
    ]
    assert matrices.locations.get().resource.slug == "essence"
    assert matrices.exercise.solution == "def f(): return 1"
    assert (matrices.position, Concept.objects.get(slug="vectors").position) == (2, 1)
    assert len(report.created) == 2 + 2 * 3 + 2 + 1


def test_loading_twice_changes_nothing(data_file):
    path = data_file(*two_concepts())
    load_concepts(path)
    before = list(RecallCard.objects.order_by("pk").values())
    report = load_concepts(path)
    assert report.created == [] and report.updated == []
    assert len(report.unchanged) == 2 + 6 + 2
    assert list(RecallCard.objects.order_by("pk").values()) == before
    assert Concept.objects.count() == 2 and ConceptLocation.objects.count() == 2


def test_it_keeps_what_a_curator_edited_and_updates_the_rest(data_file):
    load_concepts(data_file(*two_concepts()))
    matrices = Concept.objects.get(slug="matrices")
    matrices.title = "Matrices (curated)"
    matrices.published = False
    matrices.save()
    answer = matrices.cards.get(key="worked")
    answer.answer = "$x = 2$"
    answer.save()
    location = matrices.locations.get()
    location.where = "Chapter 2"
    location.save()

    changed = concept(
        "matrices",
        prerequisites=["vectors"],
        title="Matrices, new",
        why="New why. Still two sentences.",
        locations=[{"resource": "essence", "where": "Chapter 9"}],
        cards=[card("formula", "formula", answer="$y$"), card("meaning"), card("worked", "worked")],
    )
    report = load_concepts(data_file(concept("vectors"), changed))

    matrices.refresh_from_db()
    assert matrices.title == "Matrices (curated)"
    assert matrices.why == "New why. Still two sentences."
    assert not matrices.published
    assert matrices.cards.get(key="worked").answer == "$x = 2$"
    assert matrices.cards.get(key="formula").answer == "$y$"
    assert matrices.locations.get().where == "Chapter 2"
    assert sorted(report.kept_edits) == [
        "matrices.title",
        "matrices/worked.answer",
        "matrices@essence.where",
    ]


def test_a_prerequisite_a_curator_added_is_kept(data_file):
    load_concepts(data_file(*two_concepts(), concept("tensors")))
    Concept.objects.get(slug="matrices").prerequisites.add(Concept.objects.get(slug="tensors"))
    report = load_concepts(data_file(*two_concepts(), concept("tensors")))
    assert report.kept_edits == ["matrices.prerequisites"]
    matrices = Concept.objects.get(slug="matrices")
    assert set(matrices.prerequisites.values_list("slug", flat=True)) == {"vectors", "tensors"}


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (concept("m", domain="topology"), "concept 'm', field 'domain': no area with slug"),
        (concept("m", level="expert"), "concept 'm', field 'level'"),
        (concept("m", prerequisites=["nope"]), "concept 'm', field 'prerequisites': no concept"),
        (
            concept("m", locations=[{"resource": "nope", "where": "Ch 1"}]),
            "concept 'm', location #1, field 'resource': no resource with slug 'nope'",
        ),
        (concept("m", cards=[card("a", "poem")]), "concept 'm', card 'a', field 'kind'"),
        (
            concept("m", cards=[card("a", answer=r"$\frac{1}{$")]),
            r"concept 'm', card 'a', field 'answer': Can't typeset the LaTeX $\frac{1}{$",
        ),
        (
            concept("m", cards=[card("a", prompt="costs $5")]),
            "concept 'm', card 'a', field 'prompt': Unmatched $",
        ),
        (concept("m", cards=[card("a"), card("a")]), "card 'a', field 'key': appears twice"),
        (concept("m", colour="blue"), "concept 'm', field 'colour': unknown field"),
        (concept("m", why=None), "concept 'm', field 'why': must be text"),
        (concept("m", prerequisites=["m"]), "concept 'm', field 'prerequisites': makes a cycle"),
    ],
)
def test_bad_data_names_file_record_and_field_and_changes_nothing(data_file, record, expected):
    load_concepts(data_file(concept("vectors")))
    path = data_file(concept("vectors", title="Changed"), record)
    with pytest.raises(CatalogDataError) as raised:
        load_concepts(path)
    assert str(path) in str(raised.value) and expected in str(raised.value)
    assert Concept.objects.get().title == "Vectors"


def test_a_missing_field_is_named(data_file):
    record = concept("m")
    del record["why"]
    with pytest.raises(CatalogDataError, match="concept 'm', field 'why': required"):
        load_concepts(data_file(record))


def test_a_longer_cycle_in_the_file_is_named(data_file):
    records = (
        concept("a", prerequisites=["c"]),
        concept("b", prerequisites=["a"]),
        concept("c", prerequisites=["b"]),
    )
    with pytest.raises(CatalogDataError, match="makes a cycle \\(a → c → b → a\\)"):
        load_concepts(data_file(*records))
    assert not Concept.objects.exists()


def test_a_cycle_through_a_curators_prerequisite_is_refused_and_rolled_back(data_file):
    load_concepts(data_file(*two_concepts()))
    vectors = Concept.objects.get(slug="vectors")
    extra = Concept.objects.create(
        slug="extra", title="Extra", domain=vectors.domain, level="beginner", why="Mine."
    )
    extra.prerequisites.add(Concept.objects.get(slug="matrices"))  # a curator's edge
    records = (concept("vectors", prerequisites=["extra"], title="Changed"), two_concepts()[1])
    with pytest.raises(CatalogDataError, match="together with prerequisites set in the admin"):
        load_concepts(data_file(*records))
    vectors.refresh_from_db()
    assert vectors.title == "Vectors" and not vectors.prerequisites.exists()


def test_the_command_reports_bad_concepts_and_changes_nothing(data_file, tmp_path):
    path = data_file(concept("m", domain="topology"))
    catalogue = tmp_path / "catalog.yaml"
    catalogue.write_text(
        yaml.safe_dump({"domains": [{"slug": "calculus", "name": "Calculus"}], "resources": []})
    )
    with pytest.raises(CommandError, match=r"no area with slug 'topology'.*Nothing was changed"):
        call_command("loadcatalog", str(catalogue), "--concepts", str(path), stdout=io.StringIO())
    assert not Concept.objects.exists()
    assert not Exercise.objects.exists()
    assert not Domain.objects.filter(slug="calculus").exists()


def test_the_default_file_is_the_one_in_the_repository():
    assert DEFAULT_PATH.name == "concepts.yaml" and DEFAULT_PATH.exists()
