"""The public concepts pages, the notebook download and the concepts on a resource's page."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Exercise
from tests.catalog.factories import (
    ConceptFactory,
    ConceptLocationFactory,
    DomainFactory,
    RecallCardFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db
LIST_URL = reverse("concepts:list")


@pytest.fixture
def area(db):
    return DomainFactory(slug="linear-algebra", name="Linear algebra", order=1)


def exercise(concept, **overrides):
    fields = {
        "title": "Compose two maps",
        "task": "Multiply $A$ and $B$.",
        "starter": "def compose(a, b):\n    raise NotImplementedError\n",
        "solution": "def compose(a, b):\n    return a @ b\n",
        "checks": "assert compose(2, 3) == 6\n",
        "break_it": "Swap the order: what changes?",
    }
    return Exercise.objects.create(concept=concept, **{**fields, **overrides})


def test_the_index_lists_concepts_by_area_with_a_graph_and_its_text_alternative(client, area):
    calculus = DomainFactory(slug="calculus", name="Calculus", order=2)
    vectors = ConceptFactory(title="Vectors", domain=area, position=1)
    ConceptFactory(title="Matrices", domain=area, position=2, prerequisites=[vectors])
    ConceptFactory(title="Derivatives", domain=calculus)
    ConceptFactory(title="Hidden draft", domain=area, published=False)
    html = client.get(LIST_URL).content.decode()
    assert html.index(">Linear algebra</h2>") < html.index(">Calculus</h2>")
    assert html.index(">Vectors</a>") < html.index(">Matrices</a>")
    assert '<svg class="concept-graph" id="graph-linear-algebra" role="img"' in html
    assert 'aria-describedby="graph-linear-algebra-list"' in html
    assert 'id="graph-linear-algebra-list"' in html
    assert "Prerequisites between 2 concepts: 1 arrows" in html
    assert 'Needs <a href="/concepts/vectors/">Vectors</a>' in html
    assert "Hidden draft" not in html


def test_the_graph_escapes_titles(client, area):
    first = ConceptFactory(title="<script>x</script>", slug="evil", domain=area)
    ConceptFactory(title="Next", domain=area, prerequisites=[first])
    html = client.get(LIST_URL).content.decode()
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


@pytest.mark.parametrize("size", [3, 30])
def test_the_index_runs_a_fixed_number_of_queries(client, area, django_assert_num_queries, size):
    previous = None
    for _ in range(size):
        previous = ConceptFactory(domain=area, prerequisites=[previous] if previous else [])
    with django_assert_num_queries(2):  # concepts with their areas; prerequisites
        assert client.get(LIST_URL).status_code == 200


def test_a_concept_page_shows_why_order_locations_and_typeset_card_prompts(client, area):
    vectors = ConceptFactory(title="Vectors", domain=area)
    matrices = ConceptFactory(
        title="Matrices", domain=area, prerequisites=[vectors], why="Layers are matrices."
    )
    ConceptFactory(title="Eigenvalues", domain=area, prerequisites=[matrices])
    essence = ResourceFactory(title="Essence of Linear Algebra")
    ConceptLocationFactory(
        concept=matrices, resource=essence, where="Chapter 3: Linear transformations and matrices"
    )
    ConceptLocationFactory(concept=matrices, resource=ResourceFactory(published=False))
    RecallCardFactory(concept=matrices, prompt=r"What is $\det A$ for $A = I$?")
    html = client.get(matrices.get_absolute_url()).content.decode()
    assert "<h1>Matrices</h1>" in html and "Layers are matrices." in html
    assert "Chapter 3: Linear transformations and matrices" in html
    assert html.count('muted">Example Academy') == 1  # the unpublished resource is hidden
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in html
    learn_first, unlocks = html.split("It unlocks")
    assert ">Vectors</a>" in learn_first.split("Learn first")[1]
    assert ">Eigenvalues</a>" in unlocks
    assert "Download the notebook" not in html


@pytest.mark.parametrize("size", [2, 20])
def test_a_concept_page_runs_a_fixed_number_of_queries(
    client, area, django_assert_num_queries, size
):
    concept = ConceptFactory(domain=area)
    exercise(concept)
    for _ in range(size):
        ConceptFactory(domain=area, prerequisites=[concept])
        ConceptLocationFactory(concept=concept)
        RecallCardFactory(concept=concept)
    # the concept with its area and exercise; prerequisites; unlocks; locations; cards
    with django_assert_num_queries(5):
        assert client.get(concept.get_absolute_url()).status_code == 200


def test_drafts_and_unknown_concepts_are_404_for_visitors_but_staff_see_drafts(staff_client, area):
    client = Client()  # staff_client is pytest-django's `client`, signed in
    draft = ConceptFactory(domain=area, published=False)
    exercise(draft)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("concepts:notebook", args=[draft.slug])).status_code == 404
    assert client.get(reverse("concepts:detail", args=["nope"])).status_code == 404
    assert (
        "Draft: this concept is unpublished"
        in staff_client.get(draft.get_absolute_url()).content.decode()
    )


def test_the_notebook_downloads_with_the_starter_code_and_never_the_solution(client, area):
    concept = ConceptFactory(title="Composition", domain=area)
    exercise(concept)
    page = client.get(concept.get_absolute_url()).content.decode()
    url = reverse("concepts:notebook", args=[concept.slug])
    assert f'href="{url}" download>Download the notebook' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ipynb+json"
    assert response["Content-Disposition"] == 'attachment; filename="composition.ipynb"'
    notebook = json.loads(response.content)
    sources = ["".join(cell["source"]) for cell in notebook["cells"]]
    assert notebook["nbformat"] == 4
    assert "raise NotImplementedError" in sources[1]
    assert not any("return a @ b" in source for source in sources)
    assert "assert compose(2, 3) == 6" in sources[3]
    assert "Break it" in sources[4]


def test_a_concept_without_an_exercise_has_no_notebook(client, area):
    concept = ConceptFactory(domain=area)
    assert client.get(reverse("concepts:notebook", args=[concept.slug])).status_code == 404


def test_a_resource_page_lists_the_concepts_it_teaches(client, area):
    resource = ResourceFactory(domains=[area])
    concept = ConceptFactory(title="Span", domain=area)
    ConceptLocationFactory(concept=concept, resource=resource, where="Chapter 2: Span")
    ConceptLocationFactory(
        concept=ConceptFactory(published=False, title="Secret"), resource=resource
    )
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "Concepts it teaches" in html
    assert '<a href="/concepts/span/">Span</a> <span class="muted">Chapter 2: Span</span>' in html
    assert "Secret" not in html
