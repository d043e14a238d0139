"""Learners report problems; curators answer; the learner sees the answer."""

import pytest
from django.urls import reverse

from curation.models import Flag, FlagStatus
from tests.catalog.factories import ResourceFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def report_url(resource):
    return reverse("curation:report", args=[resource.slug])


@pytest.fixture
def resource():
    return ResourceFactory(title="Essence of Linear Algebra")


def test_a_learner_reports_a_problem_and_sees_it_on_the_resource_page(user_client, user, resource):
    form = user_client.get(report_url(resource)).content.decode()
    assert 'name="reason"' in form and 'name="text"' in form and "Broken link" in form
    response = user_client.post(
        report_url(resource), {"reason": "now-paid", "text": "Asks for a subscription now."},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == resource.get_absolute_url()
    assert "your report is with the curators" in html
    assert "You reported “now paid”" in html
    flag = Flag.objects.get()
    assert (flag.user, flag.resource, flag.reason, flag.status) == (
        user, resource, "now-paid", "open"
    )


def test_the_resource_page_offers_a_report_link(client, resource):
    assert report_url(resource) in client.get(resource.get_absolute_url()).content.decode()


def test_signed_out_visitors_are_sent_to_log_in(client, resource):
    response = client.get(report_url(resource))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_one_open_report_per_learner_and_resource(user_client, resource):
    user_client.post(report_url(resource), {"reason": "outdated"})
    response = user_client.post(report_url(resource), {"reason": "other", "text": "Still wrong"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "You already have an open report on this resource" in html
    assert "Still wrong" in html  # what the learner typed is kept
    assert Flag.objects.count() == 1


def test_after_a_report_is_closed_the_learner_may_report_again(user_client, resource):
    user_client.post(report_url(resource), {"reason": "outdated"})
    Flag.objects.get().close(FlagStatus.RESOLVED, "Updated the summary.")
    assert user_client.post(report_url(resource), {"reason": "other"}).status_code == 302
    assert Flag.objects.count() == 2


def test_reports_are_rate_limited_per_learner(user_client, settings):
    settings.FLAGS_PER_DAY = 2
    resources = ResourceFactory.create_batch(3)
    for resource in resources[:2]:
        assert user_client.post(report_url(resource), {"reason": "other"}).status_code == 302
    response = user_client.post(report_url(resources[2]), {"reason": "other", "text": "Typed"})
    assert response.status_code == 429
    assert "the most we take in a day" in response.content.decode()
    assert "Typed" in response.content.decode()
    assert Flag.objects.count() == 2


def test_another_learner_is_not_limited_by_my_reports(client, settings, resource):
    settings.FLAGS_PER_DAY = 1
    first, second = UserFactory(), UserFactory()
    for learner in (first, second):
        client.force_login(learner)
        assert client.post(report_url(resource), {"reason": "other"}).status_code == 302


def test_a_bad_reason_is_a_clear_400(user_client, resource):
    response = user_client.post(report_url(resource), {"reason": "nonsense", "text": "Kept"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "Kept" in response.content.decode()


def test_a_learner_sees_only_their_own_reports(client, resource):
    mine, theirs = UserFactory(), UserFactory()
    Flag.objects.create(user=theirs, resource=resource, reason="other", text="Their secret words")
    client.force_login(mine)
    for url in (report_url(resource), resource.get_absolute_url()):
        assert "Their secret words" not in client.get(url).content.decode()
        assert "You reported" not in client.get(url).content.decode()


def test_drafts_cannot_be_reported_by_learners(user_client):
    draft = ResourceFactory(published=False)
    assert user_client.get(report_url(draft)).status_code == 404


def test_the_learner_sees_the_outcome_with_the_curators_note(user_client, user, resource):
    flag = Flag.objects.create(user=user, resource=resource, reason="broken-link")
    flag.close(FlagStatus.DISMISSED, "The link works for us; try another browser.")
    html = user_client.get(resource.get_absolute_url()).content.decode()
    assert "was dismissed: The link works for us; try another browser." in html


def test_the_admin_lists_reports_with_counts_and_the_link_verdict(admin_client, resource):
    for learner in UserFactory.create_batch(2):
        Flag.objects.create(user=learner, resource=resource, reason="broken-link")
    resource.link_checks.create(url=resource.url, verdict="gone", status_code=404)
    html = admin_client.get(reverse("admin:curation_flag_changelist")).content.decode()
    assert html.count("Essence of Linear Algebra") >= 2
    assert "Gone (404)" in html
    assert '<td class="field-reports_on_resource">2</td>' in html


def test_a_curator_resolves_a_report_with_a_note(admin_client, user, resource):
    flag = Flag.objects.create(user=user, resource=resource, reason="outdated")
    url = reverse("admin:curation_flag_change", args=[flag.pk])
    response = admin_client.post(url, {"status": "resolved", "curator_note": ""})
    assert "Write the learner a note" in response.content.decode()
    response = admin_client.post(url, {"status": "resolved", "curator_note": "Fixed, thanks."})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == "resolved" and flag.closed_at is not None
    assert flag.curator_note == "Fixed, thanks."


def test_bulk_dismiss_closes_open_reports(admin_client, user, resource):
    flag = Flag.objects.create(user=user, resource=resource, reason="other")
    response = admin_client.post(
        reverse("admin:curation_flag_changelist"),
        {"action": "dismiss", "_selected_action": [flag.pk]},
        follow=True,
    )
    assert "1 report dismissed." in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == "dismissed" and flag.curator_note


def test_resources_with_open_reports_need_attention(admin_client, user, resource):
    Flag.objects.create(user=user, resource=resource, reason="other")
    ResourceFactory(title="Nobody complained")
    html = admin_client.get(
        reverse("admin:catalog_resource_changelist"), {"health": "attention"}
    ).content.decode()
    assert "Essence of Linear Algebra" in html and "Nobody complained" not in html


def test_reports_are_in_the_learners_export(user_client, user, resource):
    Flag.objects.create(user=user, resource=resource, reason="other", text="Mine")
    data = user_client.get(reverse("accounts:export")).json()
    assert data["flags"]["curation.Flag"][0]["text"] == "Mine"


def test_the_resource_page_keeps_its_query_count_with_reports(
    user_client, user, resource, django_assert_max_num_queries
):
    Flag.objects.create(user=user, resource=resource, reason="other")
    resource.link_checks.create(url=resource.url, verdict="ok", status_code=200)
    with django_assert_max_num_queries(9):
        html = user_client.get(resource.get_absolute_url()).content.decode()
    assert "You reported" in html and "Link checked" in html


def test_the_report_page_runs_a_fixed_number_of_queries(
    user_client, user, resource, django_assert_max_num_queries
):
    for reason in ("other", "outdated", "broken-link"):
        Flag.objects.create(user=user, resource=resource, reason=reason, status="resolved")
    # session, user, resource, the learner's reports on it
    with django_assert_max_num_queries(4):
        assert user_client.get(report_url(resource)).status_code == 200
