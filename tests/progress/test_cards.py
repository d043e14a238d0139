"""A learner's recall cards: where they come from, the card session, and whose they are."""

import datetime as dt

import pytest

from accounts.models import Profile
from progress.models import CardReview, KnownConcept, LearnerCard, Progress, Status
from tests.progress.concepts import concept_with_cards

from .conftest import HTMX

D = dt.date
SESSION = "/cards/review/"


@pytest.fixture
def resource(catalogue):
    return catalogue["linear-algebra-beginner-1"]


@pytest.fixture
def concepts(resource, catalogue):
    return [
        concept_with_cards("linear-transformations", [resource]),
        concept_with_cards("eigenvalues", [resource], level="intermediate"),
        concept_with_cards("draft-idea", [resource], published=False),
        concept_with_cards("elsewhere", [catalogue["calculus-beginner-1"]], area="calculus"),
    ]


def finish(user_client, resource):
    return user_client.post(f"/progress/{resource.slug}/status/", {"status": "done"})


def test_finishing_a_resource_gives_the_cards_of_its_published_concepts_due_tomorrow(
    user_client, user, resource, concepts, frozen_clock
):
    finish(user_client, resource)
    mine = LearnerCard.objects.filter(user=user).select_related("card__concept")
    assert sorted({c.card.concept.slug for c in mine}) == ["eigenvalues", "linear-transformations"]
    assert len(mine) == 6 and {c.due for c in mine} == {D(2026, 3, 11)}
    known = KnownConcept.objects.filter(user=user)
    assert {k.source for k in known} == {"resource"} and known.count() == 2
    assert {k.resource_id for k in known} == {resource.pk}


def test_starting_a_resource_brings_its_cards_too_and_finishing_adds_none_twice(
    user_client, user, resource, concepts, frozen_clock
):
    user_client.post(f"/progress/{resource.slug}/status/", {"status": "in_progress"})
    assert user.learner_cards.count() == 6
    frozen_clock.advance(days=2)
    finish(user_client, resource)
    assert user.learner_cards.count() == 6
    assert set(user.learner_cards.values_list("due", flat=True)) == {D(2026, 3, 11)}


def test_cards_are_due_tomorrow_in_the_learners_own_time_zone(
    user_client, user, resource, concepts, frozen_clock
):
    Profile.objects.create(user=user, time_zone="Pacific/Auckland")
    # 12:00 UTC on the 10th is already 01:00 on the 11th in Auckland.
    finish(user_client, resource)
    assert set(user.learner_cards.values_list("due", flat=True)) == {D(2026, 3, 12)}


def test_a_status_change_with_cards_costs_one_query_more_than_before(
    user, resource, concepts, django_assert_num_queries
):
    Progress.objects.change(user, resource, Status.IN_PROGRESS)
    other = concepts[3].locations.get().resource
    # Lock and zone, progress, save, event, cards (with the transaction's savepoint and its
    # release, as the test runs inside a transaction): the same with or without concepts.
    with django_assert_num_queries(7):
        Progress.objects.change(user, other, Status.IN_PROGRESS)


def test_the_session_shows_a_due_card_then_its_answer_then_rates_it(
    user_client, user, resource, concepts, frozen_clock
):
    finish(user_client, resource)
    frozen_clock.advance(days=1)
    page = user_client.get(SESSION)
    html = page.content.decode()
    card = page.context["card"]
    assert "6 cards due today" in html and "Show answer" in html
    assert "<math" in html  # the prompt's LaTeX is typeset as MathML
    assert "Answer" not in html.split("<h1>")[1].split("</main>")[0].split("Show answer")[1]
    shown = user_client.get(f"{SESSION}?card={card.pk}").content.decode()
    assert "Answer" in shown and "How well did you recall it?" in shown
    assert "back in 1 day" in shown  # what Good would mean for a new card
    response = user_client.post(SESSION, {"card": card.pk, "rating": "3"}, follow=True)
    card.refresh_from_db()
    assert (card.due, card.reps, card.state) == (D(2026, 3, 12), 1, "review")
    assert "comes back tomorrow" in response.content.decode()
    assert CardReview.objects.get(learner_card=card).rating == 3
    assert response.context["due_count"] == 5


def test_with_htmx_the_session_answers_with_its_own_fragment(
    user_client, user, resource, concepts, frozen_clock
):
    finish(user_client, resource)
    frozen_clock.advance(days=1)
    card = user.learner_cards.first()
    fragment = user_client.get(f"{SESSION}?card={card.pk}", headers=HTMX).content.decode()
    assert fragment.lstrip().startswith('<section class="card card-session"')
    assert 'data-hx-post="/cards/review/"' in fragment and "<h1>" not in fragment


def test_a_card_rated_twice_at_once_is_reviewed_once(
    user_client, user, resource, concepts, frozen_clock
):
    finish(user_client, resource)
    frozen_clock.advance(days=1)
    card = user.learner_cards.first()
    stale = LearnerCard.objects.get(pk=card.pk)
    assert card.rate(3, D(2026, 3, 11))
    assert not stale.rate(1, D(2026, 3, 11))
    assert CardReview.objects.filter(learner_card=card).count() == 1


def test_a_card_not_yet_due_is_not_rated(user_client, user, resource, concepts, frozen_clock):
    finish(user_client, resource)
    card = user.learner_cards.first()
    response = user_client.post(SESSION, {"card": card.pk, "rating": "4"}, follow=True)
    assert "already reviewed" in response.content.decode()
    assert not CardReview.objects.exists()


@pytest.mark.parametrize("rating", ["", "0", "5", "good", "3.0"])
def test_a_bad_rating_is_a_400_that_says_so(user_client, user, resource, concepts, rating):
    finish(user_client, resource)
    card = user.learner_cards.first()
    response = user_client.post(SESSION, {"card": card.pk, "rating": rating})
    assert response.status_code == 400
    assert "Rate the card" in response.content.decode()


def test_another_users_card_is_a_404_to_show_or_rate(
    client, user, other_user, resource, concepts, frozen_clock
):
    client.force_login(user)
    finish(client, resource)
    card = user.learner_cards.first()
    client.force_login(other_user)
    assert client.get(f"{SESSION}?card={card.pk}").status_code == 404
    assert client.post(SESSION, {"card": card.pk, "rating": "3"}).status_code == 404
    assert client.get(SESSION).context["card"] is None
    assert not CardReview.objects.exists()


def test_visitors_are_sent_to_log_in(client, db):
    assert client.get(SESSION).status_code == 302


def test_the_goals_key_concepts_come_first(user_client, user, resource, concepts, frozen_clock):
    Profile.objects.create(user=user, goal="recommender-systems")
    concept_with_cards("similarity", [resource], kinds=("formula",))
    finish(user_client, resource)
    frozen_clock.advance(days=3)
    assert user_client.get(SESSION).context["card"].card.concept.slug == "similarity"
    Profile.objects.filter(user=user).update(goal="computer-vision")
    assert user_client.get(SESSION).context["card"].card.concept.slug == "linear-transformations"


def test_research_puts_the_advanced_concepts_first(user_client, user, resource, concepts,
                                                   frozen_clock):
    Profile.objects.create(user=user, goal="research")
    concept_with_cards("measure-theory", [resource], level="advanced", kinds=("meaning",))
    finish(user_client, resource)
    frozen_clock.advance(days=1)
    assert user_client.get(SESSION).context["card"].card.concept.slug == "measure-theory"


@pytest.mark.parametrize("extra", [0, 12])
def test_the_session_runs_a_fixed_number_of_queries(
    user_client, user, resource, concepts, frozen_clock, django_assert_num_queries, extra
):
    for n in range(extra):
        concept_with_cards(f"more-{n}", [resource])
    finish(user_client, resource)
    frozen_clock.advance(days=1)
    card = user.learner_cards.first()
    # Session, user, profile, the first due card (or the one shown), the count.
    with django_assert_num_queries(5):
        user_client.get(SESSION)
    with django_assert_num_queries(5):
        user_client.get(f"{SESSION}?card={card.pk}")


def test_an_answer_is_cheap(user_client, user, resource, concepts, frozen_clock,
                            django_assert_num_queries):
    finish(user_client, resource)
    frozen_clock.advance(days=1)
    card = user.learner_cards.first()
    # Session, user, the card with the learner's time zone, then one statement that
    # schedules it and records the review.
    with django_assert_num_queries(4):
        user_client.post(SESSION, {"card": card.pk, "rating": "3"})
    card.refresh_from_db()
    assert (card.reps, card.state) == (1, "review")
    assert list(card.reviews.values_list("rating", flat=True)) == [3]


def test_adding_a_concept_by_hand_adds_its_cards_once(user_client, user, concepts, frozen_clock):
    url = "/concepts/eigenvalues/add-to-my-cards/"
    first = user_client.post(url, {"next": "/cards/review/"}, follow=True)
    assert "Added 3 cards" in first.content.decode()
    assert KnownConcept.objects.get(user=user).source == "hand"
    again = user_client.post(url, {"next": "/cards/review/"}, follow=True)
    assert "already yours" in again.content.decode()
    assert user.learner_cards.count() == 3
    assert set(user.learner_cards.values_list("due", flat=True)) == {D(2026, 3, 11)}


def test_an_unpublished_or_unknown_concept_cannot_be_added(user_client, user, concepts):
    assert user_client.post("/concepts/draft-idea/add-to-my-cards/").status_code == 404
    assert user_client.post("/concepts/nope/add-to-my-cards/").status_code == 404
    assert not user.learner_cards.exists()


def _open_deck(content, tmp_path):
    import sqlite3
    import zipfile
    from io import BytesIO

    archive = zipfile.ZipFile(BytesIO(content))
    assert "collection.anki2" in archive.namelist()
    path = tmp_path / "collection.anki2"
    path.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(path)
    notes = connection.execute("SELECT guid, flds FROM notes ORDER BY guid").fetchall()
    cards = connection.execute("SELECT DISTINCT did FROM cards").fetchall()
    decks = connection.execute("SELECT decks FROM col").fetchone()[0]
    connection.close()
    return notes, {did for (did,) in cards}, decks


def test_the_anki_export_is_a_deck_per_area_with_stable_notes(
    user_client, user, resource, concepts, tmp_path, frozen_clock
):
    finish(user_client, resource)
    user_client.post("/concepts/elsewhere/add-to-my-cards/", {"next": "/"})
    response = user_client.get("/cards/export.apkg")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mathpath-cards.apkg"'
    notes, deck_ids, decks = _open_deck(response.content, tmp_path)
    assert len(notes) == 9 and len(deck_ids) == 2
    assert "MathPath::Linear algebra" in decks
    assert "\\(\\frac{a}{b}\\)" in notes[0][1]  # LaTeX for Anki's MathJax
    frozen_clock.advance(days=30)
    again, again_decks, _ = _open_deck(user_client.get("/cards/export.apkg").content, tmp_path)
    assert [guid for guid, _ in again] == [guid for guid, _ in notes]
    assert again_decks == deck_ids


def test_the_anki_export_holds_only_the_learners_own_cards(
    client, user, other_user, resource, concepts, tmp_path
):
    client.force_login(user)
    finish(client, resource)
    client.force_login(other_user)
    notes, _, _ = _open_deck(client.get("/cards/export.apkg").content, tmp_path)
    assert notes == []


def test_the_anki_export_runs_a_fixed_number_of_queries(
    user_client, user, resource, concepts, django_assert_num_queries
):
    finish(user_client, resource)
    # Session, user, the cards with their concepts and areas.
    with django_assert_num_queries(3):
        user_client.get("/cards/export.apkg")


def test_the_export_has_concepts_known_cards_and_card_reviews(
    user_client, user, other_user, resource, concepts, frozen_clock
):
    Progress.objects.change(other_user, resource, Status.DONE)
    finish(user_client, resource)
    frozen_clock.advance(days=1)
    card = user.learner_cards.select_related("card__concept").get(
        card__concept__slug="eigenvalues", card__key="worked"
    )
    user_client.post(SESSION, {"card": card.pk, "rating": "4"})
    data = user_client.get("/accounts/export/").json()
    assert sorted((k["slug"], k["source"], k["resource"]) for k in data["concepts_known"]) == [
        ("eigenvalues", "resource", resource.slug),
        ("linear-transformations", "resource", resource.slug),
    ]
    assert all(k["first_seen"] == "2026-03-10T12:00:00+00:00" for k in data["concepts_known"])
    assert len(data["cards"]) == 6
    rated = next(c for c in data["cards"] if c["prompt_id"] == "worked"
                 and c["concept"] == "eigenvalues")
    assert {"concept", "prompt_id", "state", "due", "last_review", "reps", "lapses"} <= set(rated)
    assert (rated["state"], rated["reps"], rated["lapses"]) == ("review", 1, 0)
    assert rated["last_review"] == "2026-03-11T12:00:00+00:00"
    assert data["card_reviews"] == [
        {"card": "eigenvalues/worked", "rating": 4, "reviewed_at": "2026-03-11T12:00:00+00:00"}
    ]


def test_catching_up_gives_earlier_starts_and_finishes_their_cards_once_in_each_zone(
    user, resource, concepts, frozen_clock
):
    from io import StringIO

    from django.core.management import call_command

    from tests.factories import UserFactory

    # Written as it was before cards existed: a finish, with no cards.
    Progress.objects.create(user=user, resource=resource, status=Status.DONE)
    # 12:00 UTC on 10 March is already 11 March in Auckland: due on the 12th there.
    Profile.objects.create(user=user, time_zone="Pacific/Auckland")
    skipper = UserFactory()
    Progress.objects.create(user=skipper, resource=resource, status=Status.SKIPPED)
    out = StringIO()
    call_command("catch_up_cards", stdout=out)
    assert out.getvalue().strip() == "Gave learners 6 recall cards."
    mine = user.learner_cards.select_related("card__concept")
    assert sorted({c.card.concept.slug for c in mine}) == ["eigenvalues", "linear-transformations"]
    assert {c.due for c in mine} == {D(2026, 3, 12)} and len(mine) == 6
    assert KnownConcept.objects.filter(user=user, source="resource").count() == 2
    assert not skipper.learner_cards.exists()
    # A card already reviewed stays as it is, and a second run adds nothing.
    card = user.learner_cards.first()
    assert card.rate(3, D(2026, 3, 12))
    out = StringIO()
    call_command("catch_up_cards", stdout=out)
    assert out.getvalue().strip() == "Gave learners 0 recall cards."
    card.refresh_from_db()
    assert card.reps == 1 and user.learner_cards.count() == 6
