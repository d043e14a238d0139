"""Every change shows on the next view of every page, and each learner sees only their own.

Every test here first views a page, then makes the change a learner, a curator or staff
would make by whatever path they would take (a form, htmx, the admin, a bulk action), and
checks that the next view shows it.
"""

import html as html_lib
import re

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import Roadmap
from catalog.models import Resource
from progress.models import Progress, Status
from tests.assessment.factories import AssessmentFactory, ResourceFactory
from tests.progress.conftest import HTMX
from tests.progress.test_dashboard import learner_with

# A valid CSRF secret (32 letters and digits), for browsers that share one cookie.
SHARED_CSRF_SECRET = "sharedcsrfsecret" * 2
CATALOGUE_QUERY = "/catalog/?domain=linear-algebra"


def status_url(slug):
    return reverse("progress:set_status", args=[slug])


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def cached_page(client, url):
    """View `url` twice, as a learner reloading it."""
    page(client, url)
    return page(client, url)


def shows_done(html, resource):
    """The roadmap row's "Done" tag next to the resource's title."""
    title = html_lib.escape(resource.title)
    return f'{title}</a> <span class="tag tag-free">Done</span>' in html


def steps_done(html):
    """The dashboard's "N of M roadmap steps done" as (N, M)."""
    found = re.search(r"(\d+) of (\d+) roadmap steps? done", html)
    assert found, "no progress count on the dashboard"
    return int(found[1]), int(found[2])


def hidden_fields(html, form_id):
    """The hidden inputs (CSRF token, next, context) of the form with id `form_id`."""
    start = html.index(f'id="{form_id}"')
    form = html[start : html.index("</form>", start)]
    fields = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)
    return {name: html_lib.unescape(value) for name, value in fields}


def without_tokens(html):
    """The page with its CSRF tokens and CSP nonces blanked: each response has new ones."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def admin_change_data(admin_client, resource, **changes):
    """The admin change form's current values, as a curator's browser posts them back."""
    url = reverse("admin:catalog_resource_change", args=[resource.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    data.update(changes)
    return url, data


@pytest.fixture
def visitor(db):
    """Someone browsing the public catalogue without an account."""
    return Client()


# 1. The learner's own changes show at once.


def test_done_with_a_plain_form_shows_on_the_cached_roadmap_and_dashboard(
    user_client, first_entry
):
    resource = first_entry.resource
    assert not shows_done(cached_page(user_client, "/roadmap/"), resource)
    done, total = steps_done(cached_page(user_client, "/"))

    response = user_client.post(
        status_url(resource.slug), {"status": "done", "next": "/roadmap/", "context": "roadmap"}
    )
    assert response.status_code == 302

    roadmap = page(user_client, "/roadmap/")
    assert shows_done(roadmap, resource)
    assert '<strong class="status-done">Done</strong>' in roadmap
    assert steps_done(page(user_client, "/")) == (done + 1, total)


def test_done_with_htmx_shows_on_the_next_full_roadmap_and_dashboard(user_client, first_entry):
    resource = first_entry.resource
    assert not shows_done(cached_page(user_client, "/roadmap/"), resource)
    done, total = steps_done(cached_page(user_client, "/"))

    response = user_client.post(
        status_url(resource.slug), {"status": "done", "context": "roadmap"}, headers=HTMX
    )
    assert response.status_code == 200
    assert 'aria-pressed="true">Done<' in response.content.decode()  # the swapped control

    assert shows_done(page(user_client, "/roadmap/"), resource)
    assert steps_done(page(user_client, "/")) == (done + 1, total)


# 2. Skipping and adding redraw the roadmap.


@pytest.mark.parametrize("way", ["status control", "skip button"])
def test_a_skip_and_its_reason_show_on_the_reloaded_roadmap(user_client, first_entry, way):
    reason = "I know this from university"
    assert reason not in cached_page(user_client, "/roadmap/")

    if way == "status control":
        url, data = status_url(first_entry.resource.slug), {"status": "skipped", "reason": reason}
    else:
        url, data = reverse("assessment:skip", args=[first_entry.pk]), {"reason": reason}
    assert user_client.post(url, data).status_code == 302

    html = page(user_client, "/roadmap/")
    assert f"You chose to skip this: {reason}" in html
    title = html_lib.escape(first_entry.resource.title)
    assert f'{title}</a> <span class="tag">Skipped</span>' in html


def test_a_resource_added_from_the_catalogue_shows_on_the_reloaded_roadmap(user_client, roadmap):
    extra = ResourceFactory(title="Matrix cookbook", level="intermediate",
                            domains=["linear-algebra"])
    assert "Matrix cookbook" not in cached_page(user_client, "/roadmap/")

    response = user_client.post(reverse("assessment:add"), {"resource": extra.slug})
    assert response.status_code == 302

    html = page(user_client, "/roadmap/")
    assert "Matrix cookbook" in html
    # A resource the learner added is a step of its own, headed so.
    assert "<h3>Added by you" in html


# 3. A curator's changes reach every cached page.


def test_a_rename_in_the_admin_reaches_the_cached_roadmap_dashboard_and_catalogue(
    user_client, first_entry, admin_client, visitor, django_capture_on_commit_callbacks
):
    resource = first_entry.resource
    old_title = resource.title
    for client, url in [(user_client, "/roadmap/"), (user_client, "/"),
                        (visitor, CATALOGUE_QUERY)]:
        assert old_title in cached_page(client, url), url

    url, data = admin_change_data(admin_client, resource, title="Vectors, renamed")
    # The test's transaction never commits: run what the commit would run.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Resource.objects.get(pk=resource.pk).title == "Vectors, renamed"

    for client, url in [(user_client, "/roadmap/"), (user_client, "/"),
                        (visitor, CATALOGUE_QUERY)]:
        html = page(client, url)
        assert "Vectors, renamed" in html, url
        assert old_title not in html, url


@pytest.mark.parametrize("way", ["delete page", "bulk action"])
def test_a_step_staff_delete_in_the_admin_leaves_the_cached_roadmap(
    user_client, first_entry, admin_client, way
):
    row = f'id="entry-{first_entry.pk}"'
    assert row in cached_page(user_client, "/roadmap/")
    if way == "delete page":
        url = reverse("admin:assessment_roadmapentry_delete", args=[first_entry.pk])
        response = admin_client.post(url, {"post": "yes"})
    else:
        url = reverse("admin:assessment_roadmapentry_changelist")
        response = admin_client.post(url, {"action": "delete_selected", "post": "yes",
                                           "_selected_action": [first_entry.pk]})
    assert response.status_code == 302
    assert row not in page(user_client, "/roadmap/")


def test_publishing_in_bulk_shows_the_resource_on_the_cached_catalogue(
    catalogue, admin_client, visitor, django_capture_on_commit_callbacks
):
    draft = ResourceFactory(title="Hidden gem", published=False, domains=["linear-algebra"])
    assert "Hidden gem" not in cached_page(visitor, CATALOGUE_QUERY)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:catalog_resource_changelist"),
            {"action": "publish", "_selected_action": [draft.pk]},
        )

    assert "Hidden gem" in page(visitor, CATALOGUE_QUERY)


# 4. Learners never see each other's pages.


def test_two_learners_in_browsers_with_one_csrf_cookie_never_see_each_others_pages(
    first_entry, user, other_user
):
    # B: a roadmap of their own. A: then a resource only they added, and a step done.
    Roadmap.build_for(AssessmentFactory(user=other_user, linear_algebra=4, calculus=2))
    roadmap = Roadmap.objects.get(user=user)
    roadmap.add_resource(ResourceFactory(title="Only on A's roadmap", domains=["calculus"]))
    Progress.objects.change(user, first_entry.resource, Status.DONE)
    a_client, b_client = Client(), Client()
    for client, learner in [(a_client, user), (b_client, other_user)]:
        client.force_login(learner)
        client.cookies["csrftoken"] = SHARED_CSRF_SECRET
    a_only = html_lib.escape("Only on A's roadmap")
    # The added resource's stage is drawn when opened (the first stage is the current one).
    added = user.roadmap_entries.get(resource__title="Only on A's roadmap").stage.index
    opened = f"/roadmap/?stage={added}"

    def assert_b_sees_only_their_own():
        assert a_only not in page(b_client, opened)
        assert not shows_done(page(b_client, "/roadmap/"), first_entry.resource)
        dashboard = page(b_client, "/")
        assert a_only not in dashboard
        assert steps_done(dashboard)[0] == 0

    assert_b_sees_only_their_own()  # before A's pages are cached
    assert a_only in cached_page(a_client, opened)
    assert steps_done(cached_page(a_client, "/"))[0] == 1
    assert_b_sees_only_their_own()  # after
    assert a_only in page(a_client, opened)  # and A still gets theirs
    assert steps_done(page(a_client, "/"))[0] == 1


# 5. The forms inside a cached page work, in each browser.


def test_the_csrf_tokens_in_a_cached_roadmap_are_valid_in_each_browser(user, first_entry):
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    form_id = f"status-roadmap-{first_entry.resource.slug}"
    forms = {}
    for browser in (laptop, phone):
        browser.force_login(user)
        # The phone's second view would be the laptop's page if browsers shared a key.
        forms[browser] = hidden_fields(cached_page(browser, "/roadmap/"), form_id)

    for browser, status in [(laptop, Status.IN_PROGRESS), (phone, Status.DONE)]:
        # A plain form POST, as without JavaScript: the hidden fields plus the button.
        response = browser.post(status_url(first_entry.resource.slug),
                                {**forms[browser], "status": status})
        assert response.status_code == 302, response.status_code
        assert Progress.objects.get(user=user, resource=first_entry.resource).status == status


# 6. The dashboard follows the learner's calendar.


def test_a_new_day_redraws_the_dashboard_with_the_cards_now_due(db, frozen_clock):
    learner, _ = learner_with(2)  # one resource done today: its cards are due tomorrow
    client = Client()
    client.force_login(learner)
    today = cached_page(client, "/")
    assert "Nothing to review today." in today and "3 cards due tomorrow." in today

    frozen_clock.advance(days=1)

    tomorrow = page(client, "/")
    assert "Nothing to review today." not in tomorrow
    assert "3 cards to recall today." in tomorrow


