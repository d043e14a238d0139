"""The study log: "Log time" as a plain form and with htmx, and the week on the dashboard."""

from datetime import date, timedelta

import pytest
from django.test import Client

from accounts.models import Profile
from progress import reviews
from progress.models import StudyLog
from tests.assessment.factories import ResourceFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def today_for(user):
    return reviews.local_today(Profile.for_user(user).time_zone)


@pytest.fixture
def resource(db):
    return ResourceFactory(title="Essence of linear algebra", slug="essence")


def test_logging_time_as_a_plain_form_saves_it_and_says_so(user_client, user, resource):
    response = user_client.post("/progress/log/", {
        "resource": "essence", "minutes": "45", "logged_on": str(today_for(user)),
        "note": "Chapter 3", "next": "/catalog/essence/",
    }, follow=True)
    assert response.redirect_chain == [("/catalog/essence/", 302)]
    assert "Logged 45 min on “Essence of linear algebra”" in response.content.decode()
    entry = StudyLog.objects.get()
    assert (entry.user, entry.resource, entry.minutes, entry.note) == (user, resource, 45,
                                                                        "Chapter 3")


def test_an_empty_date_is_today_on_the_learners_clock(user_client, user):
    Profile.objects.filter(user=Profile.for_user(user).user).update(time_zone="Pacific/Kiritimati")
    user_client.post("/progress/log/", {"minutes": "90"})
    assert StudyLog.objects.get().logged_on == reviews.local_today("Pacific/Kiritimati")


def test_with_htmx_the_form_answers_with_itself_and_an_event(user_client, resource):
    response = user_client.post("/progress/log/", {
        "resource": "essence", "minutes": "30", "form_id": "log-time-dashboard",
    }, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "studyLogged" in response["HX-Trigger-After-Settle"]
    assert html.lstrip().startswith('<form method="post" action="/progress/log/"')
    assert 'id="log-time-dashboard"' in html
    assert "Logged 30 min" in html  # the message, out of band
    assert StudyLog.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minutes", "0", "greater than or equal to 1"),
        ("minutes", "2000", "A day has 1,440 minutes"),
        ("minutes", "lots", "Enter a whole number"),
        ("logged_on", "2999-01-01", "That date is in the future"),
        ("logged_on", "2001-01-01", "Log time from the last year only"),
        ("logged_on", "yesterday", "Enter the date as YYYY-MM-DD"),
        ("resource", "no-such-thing", "That resource is not in the catalogue"),
    ],
)
def test_bad_input_is_explained_kept_and_nothing_is_logged(user_client, field, value, message):
    form = {"minutes": "30", "note": "kept note", field: value}
    for headers in ({}, HTMX):
        response = user_client.post("/progress/log/", form, headers=headers)
        assert response.status_code == 400
        html = response.content.decode()
        assert message in html
        assert 'value="kept note"' in html
    assert response["HX-Reswap"] == "outerHTML"
    assert not StudyLog.objects.exists()


def test_visitors_are_sent_to_log_in(client):
    assert client.get("/progress/log/")["Location"].startswith("/accounts/login/")
    assert client.post("/progress/log/", {"minutes": "30"}).status_code == 302
    assert not StudyLog.objects.exists()


def test_the_resource_page_offers_log_time_to_learners_only(user_client, resource):
    assert "Log time on this resource" in user_client.get("/catalog/essence/").content.decode()
    assert "Log time on this resource" not in Client().get("/catalog/essence/").content.decode()


def test_the_dashboard_shows_this_weeks_hours_against_the_goal(user_client, user, other_user):
    Profile.objects.filter(user=Profile.for_user(user).user).update(weekly_hours=6)
    today = today_for(user)
    monday = today - timedelta(days=today.weekday())
    for day in {monday, today}:
        StudyLog.objects.create(user=user, minutes=90, logged_on=day)
    StudyLog.objects.create(user=other_user, minutes=600, logged_on=today)
    StudyLog.objects.create(user=user, minutes=60, logged_on=monday - timedelta(days=7))
    expected = "3 h" if monday != today else "1.5 h"
    html = user_client.get("/").content.decode()
    assert f"{expected} of 6 h this week" in html
    assert '<svg class="chart chart-hours"' in html
    last_week = f"{monday - timedelta(days=7):%-d %b %Y}"
    assert f'<tr><th scope="row">{last_week}</th><td>1.0</td></tr>' in html
    week = user_client.get("/", headers={**HTMX, "HX-Target": "dashboard-week"})
    assert week.content.decode().lstrip().startswith('<section class="card dashboard-week"')
    assert f"{expected} of 6 h this week" in week.content.decode()


def test_the_log_page_is_quick(user_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        user_client.get("/progress/log/")
    # session, user, time zone, savepoint, insert, release; the message in the session
    with django_assert_max_num_queries(7):
        user_client.post("/progress/log/", {"minutes": "30"})


def test_the_export_holds_the_study_log(user, resource):
    from accounts.export import export_user_data

    StudyLog.objects.create(user=user, resource=resource, minutes=45, logged_on=date(2026, 6, 1),
                            note="Chapter 3")
    StudyLog.objects.create(user=user, minutes=20, logged_on=date(2026, 6, 2))
    assert export_user_data(user)["study_log"] == [
        {"resource": "essence", "minutes": 45, "logged_on": "2026-06-01", "note": "Chapter 3"},
        {"resource": None, "minutes": 20, "logged_on": "2026-06-02", "note": ""},
    ]


def test_each_roadmap_step_opens_the_log_form_for_its_chosen_resource(user_client, user,
                                                                     first_entry):
    import html as html_lib
    import re

    resource = first_entry.resource
    page = user_client.get("/roadmap/").content.decode()
    link = re.search(rf'href="(/progress/log/\?resource={resource.slug}&amp;next=[^"]+)"', page)
    assert link, "no Log time link on the roadmap step"
    form_page = user_client.get(html_lib.unescape(link.group(1))).content.decode()
    assert f'name="resource" value="{resource.slug}"' in form_page
    next_url = re.search(r'name="next" value="([^"]+)"', form_page).group(1)
    assert next_url.startswith(f"/roadmap/?stage={first_entry.stage.index}#entry-")
    response = user_client.post("/progress/log/", {
        "resource": resource.slug, "minutes": "40", "next": html_lib.unescape(next_url),
    })
    assert response.status_code == 302 and response.url.startswith("/roadmap/?stage=0#entry-")
    assert StudyLog.objects.get(user=user).resource == resource
