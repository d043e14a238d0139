"""The opt-in public progress card: nothing private, gone after opting out, noindex by default."""

import datetime
import html as html_module
import re

import pytest
from django.urls import reverse

from assessment.models import Roadmap
from curation.models import Flag, PublicCard, Rating
from progress.models import Focus, Note, Progress, Status
from tests.assessment.factories import AssessmentFactory, small_catalogue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("curation:card_settings")


@pytest.fixture
def learner(db):
    """A learner with a roadmap, two steps done, a focus, a note, a report and a rating."""
    user = UserFactory(email="secret.person@example.com")
    small_catalogue()
    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2, weekly_hours=6))
    entries = list(user.roadmap_entries.filter(is_optional=False).select_related("resource"))
    for entry in entries[:2]:
        Progress.objects.change(user, entry.resource, Status.DONE)
    Focus.objects.start(user, entries[2].resource, datetime.date.today())
    Note.objects.put(user, entries[0].resource, "My private note text")
    Flag.objects.create(user=user, resource=entries[0].resource, reason="other", text="Flag words")
    Rating.objects.put(
        user, entries[0].resource, usefulness=2, difficulty="harder", actual_hours=77
    )
    user.focus_title = entries[2].resource.title
    return user


def turn_on(client, user, handle="ada-learns", **extra):
    client.force_login(user)
    return client.post(SETTINGS, {"handle": handle, "enabled": "on", **extra}, follow=True)


def visible_text(html):
    main = html[html.index("<main"):html.index("</main>")]
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip())


def test_the_card_is_off_by_default(client, learner):
    client.force_login(learner)
    assert not PublicCard.objects.exists()
    assert 'name="enabled"' in client.get(SETTINGS).content.decode()
    assert client.get("/u/ada-learns/").status_code == 404


def test_the_card_renders_exactly_these_fields_and_nothing_private(client, learner):
    turn_on(client, learner)
    client.logout()
    response = client.get("/u/ada-learns/")
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    content = PublicCard.objects.get().shown()
    # Every field the card renders: handle, stages with steps done, focus, weekly hours.
    assert "ada-learns's progress" in text
    assert f"{content.steps_done} of {content.steps} steps done" in text
    assert content.steps_done == 2
    for stage in content.stages:
        assert f"{stage.title}: {stage.done} of {stage.steps} steps done" in text
    assert f"Current focus {learner.focus_title}" in text
    assert "Study time 6 hours a week" in text
    assert [f.name for f in content.__dataclass_fields__.values()] == [
        "handle", "stages", "focus", "weekly_hours"
    ]
    for private in ("secret.person", "My private note text", "Flag words", "77", "harder"):
        assert private not in html
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)  # no dates


def test_the_card_has_open_graph_tags_and_an_svg_image(client, learner):
    turn_on(client, learner)
    client.logout()
    html = client.get("/u/ada-learns/").content.decode()
    assert '<meta property="og:title" content="ada-learns&#x27;s progress on MathPath">' in html
    assert '<meta property="og:image" content="http://testserver/u/ada-learns/card.svg">' in html
    image = client.get("/u/ada-learns/card.svg")
    assert image["Content-Type"].startswith("image/svg+xml")
    svg = image.content.decode()
    assert svg.startswith("<svg") and "ada-learns" in svg and "2 of" in svg
    assert "secret.person" not in svg


def test_the_card_is_noindex_unless_the_learner_allows_it(client, learner):
    turn_on(client, learner)
    html = client.get("/u/ada-learns/").content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert client.get("/u/ada-learns/")["X-Robots-Tag"] == "noindex"
    turn_on(client, learner, allow_indexing="on")
    response = client.get("/u/ada-learns/")
    assert 'name="robots"' not in response.content.decode()
    assert "X-Robots-Tag" not in response


def test_opting_out_makes_the_card_404(client, learner):
    response = turn_on(client, learner)
    assert "Your progress card is public at /u/ada-learns/." in response.content.decode()
    response = client.post(SETTINGS, {"handle": "ada-learns"}, follow=True)
    assert "its address now answers 404" in response.content.decode()
    client.logout()
    assert client.get("/u/ada-learns/").status_code == 404
    assert client.get("/u/ada-learns/card.svg").status_code == 404


def test_a_taken_handle_is_refused_and_the_form_kept(client, learner):
    PublicCard.objects.create(user=UserFactory(), handle="taken", enabled=True)
    client.force_login(learner)
    response = client.post(SETTINGS, {"handle": "Taken", "enabled": "on"})
    assert response.status_code == 400
    assert "That handle is taken" in response.content.decode()
    response = client.post(SETTINGS, {"handle": "no spaces!", "enabled": "on"})
    assert response.status_code == 400 and "lower-case letters" in response.content.decode()


def test_the_card_settings_are_in_the_export(client, learner):
    turn_on(client, learner)
    data = client.get(reverse("accounts:export")).json()
    assert data["public_card"]["curation.PublicCard"][0]["handle"] == "ada-learns"


def test_the_card_runs_a_fixed_number_of_queries(client, learner, django_assert_max_num_queries):
    turn_on(client, learner)
    client.logout()
    # card, done steps, roadmap entries, focus, weekly hours
    with django_assert_max_num_queries(5):
        assert client.get("/u/ada-learns/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/u/ada-learns/card.svg").status_code == 200
