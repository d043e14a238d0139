"""Profile, data export and account deletion: the learner's own pages."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.db import models

from accounts.export import EXPORTED_MODELS, NOT_EXPORTED, export_user_data
from accounts.models import Profile
from tests.assessment.factories import AssessmentFactory
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PRIVATE_PAGES = [
    "/accounts/profile/",
    "/accounts/export/",
    "/accounts/export/about/",
    "/accounts/delete/",
]

VALID_PROFILE = {
    "goal": "nlp",
    "weekly_hours": "8",
    "budget": "free",
    "styles": ["visual", "hands-on"],
    "time_zone": "Europe/Paris",
}


def models_belonging_to_a_user():
    """Every installed model with a foreign key, one-to-one or many-to-many to the user."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.concrete
                and field.is_relation
                and (field.many_to_one or field.one_to_one or field.many_to_many)
                and field.related_model is user_model
                and model is not user_model
            ):
                found.setdefault(model._meta.label, []).append(field.name)
    return found


@pytest.mark.parametrize("url", PRIVATE_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


# --- Profile ------------------------------------------------------------------------------


def test_the_profile_is_created_on_the_first_visit(user_client, user):
    assert not Profile.objects.filter(user=user).exists()
    response = user_client.get("/accounts/profile/")
    assert response.status_code == 200
    assert Profile.objects.filter(user=user).exists()
    html = response.content.decode()
    assert html.count("<h1") == 1
    for label in ["What you want to build", "Study hours per week", "Budget", "Time zone"]:
        assert label in html
    assert "Preferred learning styles" in html
    assert 'value="hands-on"' in html and 'type="checkbox"' in html


def test_saving_the_profile_stores_it_and_says_so(user_client, user):
    response = user_client.post("/accounts/profile/", VALID_PROFILE, follow=True)
    assert response.redirect_chain == [("/accounts/profile/", 302)]
    assert "Your profile has been saved." in response.content.decode()
    profile = Profile.objects.get(user=user)
    assert (profile.goal, profile.weekly_hours, profile.budget) == ("nlp", 8, "free")
    assert profile.styles == ["visual", "hands-on"]
    assert profile.time_zone == "Europe/Paris"


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("weekly_hours", "0", "greater than or equal to 1"),
        ("weekly_hours", "200", "less than or equal to 80"),
        ("weekly_hours", "lots", "Enter a whole number."),
        ("goal", "astrology", "Select a valid choice."),
        ("budget", "", "This field is required."),
        ("styles", ["visual", "telepathy"], "Select a valid choice."),
        ("time_zone", "Mars/Olympus_Mons", "Select a valid choice."),
    ],
)
def test_bad_profile_input_is_explained_and_nothing_is_saved(
    user_client, user, field, value, error
):
    response = user_client.post("/accounts/profile/", {**VALID_PROFILE, field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your profile was not saved" in html
    assert error in html
    assert Profile.objects.get(user=user).goal == "general-ml"


def test_a_nul_byte_in_the_profile_is_refused_and_nothing_is_saved(user_client, user):
    # Every route refuses what PostgreSQL cannot store, before any form sees it
    # (mathpath.middleware.RejectUnstorableCharactersMiddleware).
    response = user_client.post("/accounts/profile/", {**VALID_PROFILE, "time_zone": "\x00"})
    assert response.status_code == 400
    assert "cannot be stored (a NUL byte" in response.content.decode()
    assert not Profile.objects.filter(user=user, goal="nlp").exists()


def test_the_profile_page_shows_only_the_users_own_profile(user_client, other_user):
    Profile.objects.create(user=other_user, goal="research", time_zone="Asia/Tokyo")
    html = user_client.get("/accounts/profile/").content.decode()
    assert 'value="Asia/Tokyo" selected' not in html
    assert other_user.email not in html


def test_the_profile_page_is_quick(user_client, user, django_assert_max_num_queries):
    Profile.for_user(user)
    with django_assert_max_num_queries(4):
        user_client.get("/accounts/profile/")


# --- Export -------------------------------------------------------------------------------


def test_the_export_about_page_explains_the_file_and_links_to_it(user_client):
    response = user_client.get("/accounts/export/about/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'href="/accounts/export/" download="mathpath-export.json"' in html


def test_the_menu_and_the_profile_lead_to_the_export_about_page(user_client):
    html = user_client.get("/accounts/profile/").content.decode()
    assert html.count('href="/accounts/export/about/"') == 2
    about = user_client.get("/accounts/export/about/").content.decode()
    assert 'href="/accounts/export/about/" aria-current="page"' in about


def test_the_delete_page_offers_the_file_itself(user_client):
    html = user_client.get("/accounts/delete/").content.decode()
    assert 'href="/accounts/export/" download="mathpath-export.json"' in html


# Users' scripts fetch /accounts/export/ for the file; ?download=1 is the form the
# explanation page once linked to, and keeps working.
@pytest.mark.parametrize("url", ["/accounts/export/", "/accounts/export/?download=1"])
def test_the_export_url_sends_one_json_file(user_client, user, url):
    Profile.objects.create(user=user, goal="nlp", styles=["reading"])
    response = user_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="mathpath-export.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["format"] == "mathpath-export"
    assert data["version"] == 1
    assert data["user"]["email"] == user.email
    assert data["profile"]["goal"] == "nlp"
    assert data["profile"]["styles"] == ["reading"]


@pytest.mark.parametrize("steps", [0, 2, 20])
def test_the_export_costs_a_fixed_number_of_queries(
    user_client, user, django_assert_max_num_queries, steps
):
    if steps:
        learner_with_progress(user, steps)
    # session, user, profile, emails, authenticators, sessions; assessments, roadmap
    # entries with their progress, the roadmap (for the stages' dates); one per progress
    # section (concepts known, cards, card reviews, history, progress, reviews, focus, notes,
    # exercises, calendar); one per curation section (flags, suggestions, ratings, public
    # card); emails sent, study log, projections.
    with django_assert_max_num_queries(26):
        assert user_client.get("/accounts/export/").status_code == 200


def learner_with_progress(user, steps):
    """A roadmap with `steps` resources done, each with a note, a focus and a calendar."""
    import datetime

    from assessment.models import Roadmap
    from progress.models import CalendarToken, Focus, Note, Progress, Status
    from tests.assessment.factories import small_catalogue

    small_catalogue()
    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2))
    entries = list(user.roadmap_entries.select_related("resource")[:steps])
    assert len(entries) == steps
    for entry in entries:
        Progress.objects.change(user, entry.resource, Status.DONE)
        Note.objects.put(user, entry.resource, "A note")
    Focus.objects.start(user, entries[-1].resource, datetime.date(2026, 3, 10))
    CalendarToken.issue(user)


def test_every_model_that_belongs_to_a_user_is_exported_or_excluded_for_a_reason():
    missing = sorted(set(models_belonging_to_a_user()) - set(EXPORTED_MODELS) - set(NOT_EXPORTED))
    assert not missing, (
        f"{missing} belong to a user but are not in accounts.export.EXPORTED_MODELS: "
        "add them to the export (and to the README's export schema) or to NOT_EXPORTED "
        "with a reason."
    )
    assert all(reason.strip() for reason in NOT_EXPORTED.values())


def test_the_export_has_a_section_for_every_exported_model(user):
    data = export_user_data(user)
    for label, key in EXPORTED_MODELS.items():
        assert key in data, f"{label} is mapped to {key!r}, which the export lacks"


def test_the_export_of_one_user_never_contains_another_users_data(log_in, user, other_user):
    Profile.objects.create(user=user, time_zone="Europe/Paris")
    Profile.objects.create(user=other_user, time_zone="Asia/Tokyo", goal="research")
    EmailAddress.objects.create(user=other_user, email=other_user.email, primary=True)
    AssessmentFactory(user=user, goal="computer-vision")
    AssessmentFactory(user=other_user, goal="recommender-systems")
    log_in(other_user)  # a tracked session with the other user's IP and browser
    export = json.dumps(export_user_data(user))
    assert '"computer-vision"' in export
    assert '"recommender-systems"' not in export
    assert other_user.email not in export
    assert "Asia/Tokyo" not in export
    assert '"research"' not in export
    assert '"sessions": []' in export


def test_sections_not_yet_written_are_exported_as_stored_rows_of_the_user_only(
    user_client, user, other_user, monkeypatch
):
    from assessment import export as assessment_export

    monkeypatch.setattr(assessment_export, "user_sections", lambda user: {})
    mine = AssessmentFactory(user=user, goal="computer-vision")
    AssessmentFactory(user=other_user, goal="recommender-systems")
    data = json.loads(user_client.get("/accounts/export/").content)
    rows = data["assessments"]["assessment.Assessment"]
    assert [(row["id"], row["goal"]) for row in rows] == [(mine.pk, "computer-vision")]
    assert data["roadmap"] == {"assessment.Roadmap": [], "assessment.RoadmapEntry": []}


def test_the_export_never_contains_secrets(log_in, user):
    browser = log_in(user)
    data = browser.get("/accounts/export/").content.decode()
    assert browser.session.session_key not in data
    assert "password" not in data
    assert user.password not in data


# --- Deletion -----------------------------------------------------------------------------


def test_deletion_asks_for_the_password(user_client):
    html = user_client.get("/accounts/delete/").content.decode()
    assert 'type="password"' in html
    assert "Your current password" in html


def test_a_wrong_password_does_not_delete_the_account(user_client, user):
    response = user_client.post("/accounts/delete/", {"password": "not my password"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "That is not your current password." in html
    assert "Your account was not deleted" in html
    user.refresh_from_db()
    assert user.is_active


def test_guessing_the_password_on_the_deletion_page_is_rate_limited(user_client, user):
    for _ in range(10):
        assert user_client.post("/accounts/delete/", {"password": "guess"}).status_code == 400
    response = user_client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    user.refresh_from_db()


def test_deleting_the_account_removes_every_row_of_the_user(log_in, user, other_user):
    Profile.for_user(user)
    Profile.for_user(other_user)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    AssessmentFactory(user=user)
    AssessmentFactory(user=other_user)
    browser, phone = log_in(user), log_in(user)
    bystander = log_in(other_user)
    user_id = user.pk

    response = browser.post("/accounts/delete/", {"password": PASSWORD}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "Your account and all your data have been deleted." in response.content.decode()
    assert "_auth_user_id" not in browser.session
    assert phone.get("/accounts/profile/").status_code == 302
    assert bystander.get("/accounts/profile/").status_code == 200
    for label, fields in models_belonging_to_a_user().items():
        model = apps.get_model(label)
        for name in fields:
            if isinstance(model._meta.get_field(name), models.ManyToManyField):
                remaining = model.objects.filter(**{name: user_id}).count()
            else:
                remaining = model.objects.filter(**{f"{name}_id": user_id}).count()
            assert remaining == 0, f"{label}.{name} still has rows of the deleted user"
    assert Profile.objects.filter(user=other_user).exists()
