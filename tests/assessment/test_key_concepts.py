"""Goal-specific emphasis: each step of the roadmap names the goal's key concepts it teaches."""

import pytest
import yaml

from assessment.models import Roadmap
from catalog.concept_loader import DEFAULT_PATH
from progress import goals
from tests.assessment.factories import AssessmentFactory, ResourceFactory
from tests.progress.concepts import concept_with_cards

URL = "/roadmap/"


def test_every_key_concept_of_every_goal_is_a_curated_concept():
    # A slug that is not in the data file would be silently ignored on every page.
    curated = {c["slug"] for c in yaml.safe_load(DEFAULT_PATH.read_text())["concepts"]}
    named = {slug for slugs in goals.KEY_CONCEPTS.values() for slug in slugs}
    assert named and named - curated == set()
    assert set(goals.KEY_LEVEL.values()) <= {"beginner", "intermediate", "advanced"}


@pytest.fixture
def taught(catalogue):
    """Key concepts of two goals taught by resources of the first two stages."""
    return {
        "linear-transformations": concept_with_cards(
            "linear-transformations", [catalogue["linear-algebra-beginner-1"]]),
        "gradients": concept_with_cards(
            "gradients", [catalogue["calculus-intermediate-1"]], area="calculus"),
        "probability-distributions": concept_with_cards(
            "probability-distributions", [catalogue["linear-algebra-beginner-1"]]),
        # Taught there too, but no goal's key concept: never marked.
        "norms": concept_with_cards("norms", [catalogue["linear-algebra-beginner-1"]]),
    }


def _roadmap_page(client, user, goal):
    Roadmap.build_for(AssessmentFactory(user=user, goal=goal, linear_algebra=1, calculus=2))
    return client.get(URL).content.decode()


def _stage(html, title):
    start = html.index(f"Stage {title}")
    end = html.find('<li class="path-stage', start)
    return html[start:end if end > 0 else None]


def test_a_computer_vision_learner_sees_their_key_concepts_in_each_stage(
    user_client, user, taught
):
    html = _roadmap_page(user_client, user, "computer-vision")
    # The calculus stage is not the current one: its steps are drawn when it is opened.
    opened = user_client.get(URL + "?stage=1").content.decode()
    linear_algebra, calculus = _stage(html, "1: Linear algebra"), _stage(opened, "2: Calculus")
    assert 'Key for computer vision: <a href="/concepts/linear-transformations/">' in linear_algebra
    assert 'Key for computer vision: <a href="/concepts/gradients/">' in calculus
    assert "/concepts/gradients/" not in linear_algebra
    # Not their goal's: NLP's key concept and a concept no goal names.
    assert "/concepts/probability-distributions/" not in html
    assert "/concepts/norms/" not in html


def test_an_nlp_learner_sees_theirs_and_not_computer_visions(user_client, user, taught):
    html = _roadmap_page(user_client, user, "nlp")
    assert ('Key for natural language processing: '
            '<a href="/concepts/probability-distributions/">') in _stage(html, "1: Linear algebra")
    assert "Key for computer vision" not in html
    assert "/concepts/gradients/" not in html


def test_a_goal_without_key_concepts_marks_nothing(user_client, user, taught):
    assert "Key for" not in _roadmap_page(user_client, user, "general-ml")


def test_a_research_learner_sees_the_advanced_concepts(user_client, user, catalogue):
    concept_with_cards("proof-by-induction", [catalogue["linear-algebra-beginner-1"]],
                       level="advanced")
    html = _roadmap_page(user_client, user, "research")
    assert 'Key for research: <a href="/concepts/proof-by-induction/">' in html


def test_an_unpublished_concept_is_not_marked(user_client, user, catalogue):
    concept_with_cards("gradients", [catalogue["linear-algebra-beginner-1"]], published=False)
    assert "Key for" not in _roadmap_page(user_client, user, "computer-vision")


@pytest.mark.parametrize("extra", [0, 30])
def test_the_marked_roadmap_runs_one_more_query_whatever_its_length(
    user_client, user, catalogue, taught, extra, django_assert_num_queries
):
    for n in range(extra):
        resource = ResourceFactory(slug=f"more-{n}", level="beginner", domains=["linear-algebra"])
        taught["linear-transformations"].locations.create(resource=resource, where="Part 2")
    _roadmap_page(user_client, user, "computer-vision")
    html = user_client.get(URL + "?stage=1").content.decode()  # two stages drawn
    assert html.count("Key for computer vision") >= 2
    # session, user, roadmap with its profile, stages, entries with their resources and
    # progress, and the key concepts their resources teach
    with django_assert_num_queries(6):
        assert user_client.get(URL + "?stage=1").status_code == 200
