"""The link checker against a local website: verdicts, politeness, the admin's tools."""

import io
import signal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from catalog.models import Resource
from curation.models import LinkCheck
from tests.catalog.factories import ResourceFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_resource_changelist")


def check(slug):
    out = io.StringIO()
    call_command("check_links", slug=slug, stdout=out)
    return LinkCheck.objects.filter(resource__slug=slug).first(), out.getvalue()


@pytest.mark.parametrize(
    "path, verdict, status, final",
    [
        ("/ok", "ok", 200, "/ok"),
        ("/old-home", "moved-permanently", 200, "/new-home"),
        ("/for-a-while", "redirected", 200, "/ok"),
        ("/missing", "gone", 404, "/missing"),
        ("/gone", "gone", 410, "/gone"),
        ("/course", "looks-paywalled", 200, "/pricing"),
        ("/broken", "error", 500, "/broken"),
        ("/no-head", "ok", 200, "/no-head"),
    ],
)
def test_each_answer_gets_its_verdict_status_and_final_url(link_site, path, verdict, status, final):
    resource = ResourceFactory(url=link_site.url(path))
    found, output = check(resource.slug)
    assert (found.verdict, found.status_code, found.final_url) == (
        verdict, status, link_site.url(final)
    )
    assert found.url == link_site.url(path)
    assert resource.slug in output and found.get_verdict_display() in output


def test_a_server_that_does_not_answer_in_time_is_an_error(link_site):
    resource = ResourceFactory(url=link_site.url("/slow"))
    found, _ = check(resource.slug)
    assert found.verdict == "error" and found.status_code is None
    assert "time limit" in found.error


def test_an_unreachable_host_is_an_error_not_a_crash(link_site):
    link_site.shutdown()
    link_site.server_close()
    resource = ResourceFactory(url=link_site.url("/ok"))
    found, _ = check(resource.slug)
    assert found.verdict == "error" and found.error


def test_redirects_are_followed_and_every_hop_recorded(link_site):
    resource = ResourceFactory(url=link_site.url("/old-home"))
    found, _ = check(resource.slug)
    assert found.redirects == [{"status": 301, "url": link_site.url("/old-home")}]
    assert found.moved_to == link_site.url("/new-home")


def test_it_asks_with_head_first_then_get_and_says_who_it_is(link_site):
    ok = ResourceFactory(url=link_site.url("/ok"))
    refused = ResourceFactory(url=link_site.url("/no-head"))
    check(ok.slug)
    check(refused.slug)
    methods = [(method, path) for method, path, _ in link_site.requests]
    assert methods == [("HEAD", "/ok"), ("HEAD", "/no-head"), ("GET", "/no-head")]
    assert {agent for _, _, agent in link_site.requests} == {
        "MathPath link checker (checks catalogue links weekly; see /about/)"
    }


def test_the_checker_never_sets_last_verified(link_site):
    resource = ResourceFactory(url=link_site.url("/ok"), last_verified=None)
    check(resource.slug)
    resource.refresh_from_db()
    assert resource.last_verified is None


def test_without_a_slug_every_published_resource_is_checked_and_drafts_are_not(link_site):
    published = [ResourceFactory(url=link_site.url(p)) for p in ("/ok", "/missing")]
    ResourceFactory(url=link_site.url("/gone"), published=False)
    out = io.StringIO()
    call_command("check_links", stdout=out)
    assert set(LinkCheck.objects.values_list("resource", flat=True)) == {r.pk for r in published}
    assert "2 checked, 1 need attention." in out.getvalue()


def test_an_unknown_slug_is_a_clear_error():
    with pytest.raises(CommandError, match="No resource has the slug 'nope'"):
        call_command("check_links", slug="nope")


@pytest.mark.django_db(transaction=True)
def test_the_weekly_task_checks_the_links_in_the_worker(link_site):
    from curation.tasks import check_links

    ResourceFactory(url=link_site.url("/ok"))
    ResourceFactory(url=link_site.url("/gone"))
    result = check_links.enqueue()
    assert not LinkCheck.objects.exists()  # queued, not run in the request
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay",
                     stdout=io.StringIO())
    finally:
        for sig, handler in handlers.items():  # the worker takes over Ctrl-C; give it back
            signal.signal(sig, handler)
    result.refresh()
    assert result.return_value == {"ok": 1, "gone": 1}
    assert LinkCheck.objects.count() == 2


def test_the_admin_filter_lists_the_resources_that_need_attention(link_site, admin_client):
    moved = ResourceFactory(title="Moved course", url=link_site.url("/old-home"))
    missing = ResourceFactory(title="Missing course", url=link_site.url("/missing"))
    fine = ResourceFactory(title="Fine course", url=link_site.url("/ok"))
    ResourceFactory(title="Never checked course")
    for resource in (moved, missing, fine):
        check(resource.slug)
    html = admin_client.get(CHANGELIST, {"health": "attention"}).content.decode()
    assert "Moved course" in html and "Missing course" in html
    assert "Fine course" not in html and "Never checked course" not in html
    assert "Needs attention" in html
    assert f"Moved permanently (200) → {link_site.url('/new-home')}" in html
    assert "Gone (404)" in html


def test_the_change_page_shows_the_check_history(link_site, admin_client):
    resource = ResourceFactory(url=link_site.url("/missing"))
    check(resource.slug)
    check(resource.slug)
    html = admin_client.get(reverse("admin:catalog_resource_change", args=[resource.pk])).content
    assert html.decode().count("Gone") >= 2
    assert b"Check history" in html and b"Redirects or error" in html


def test_accept_new_url_points_moved_resources_at_their_new_home(link_site, admin_client):
    moved = ResourceFactory(url=link_site.url("/old-home"))
    missing = ResourceFactory(url=link_site.url("/missing"))
    check(moved.slug)
    check(missing.slug)
    response = admin_client.post(
        CHANGELIST,
        {"action": "accept_new_url", "_selected_action": [moved.pk, missing.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 resource now points at its new URL." in html
    assert "1 left as they were" in html
    moved.refresh_from_db()
    missing.refresh_from_db()
    assert moved.url == link_site.url("/new-home")
    assert moved.last_verified == timezone.localdate()
    assert missing.url == link_site.url("/missing") and missing.last_verified is None


def test_only_staff_reach_the_link_checks(client, user_client):
    for who in (client, user_client):
        response = who.get(reverse("admin:curation_linkcheck_changelist"))
        assert response.status_code == 302


def test_deleting_a_resource_deletes_its_history(link_site):
    resource = ResourceFactory(url=link_site.url("/ok"))
    check(resource.slug)
    Resource.objects.filter(pk=resource.pk).delete()
    assert not LinkCheck.objects.exists()


def test_the_link_check_is_on_the_weekly_schedule():
    from datetime import timedelta

    from mathpath import schedule

    entries = {entry.task: entry for entry in schedule.SCHEDULE}
    assert entries["curation.tasks.check_links"].interval == timedelta(days=7)
