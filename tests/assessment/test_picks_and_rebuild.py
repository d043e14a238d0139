"""Choosing an alternative, dates that follow the profile's hours, the rebuild that keeps
progress, and the no-JavaScript check-off that comes back to its row."""

import pytest

from accounts.models import Profile
from assessment.models import Roadmap
from progress.models import Progress, Status
from tests.assessment.factories import AssessmentFactory, ResourceFactory
from tests.assessment.shown import projected_finish

URL = "/roadmap/"


@pytest.fixture
def built(catalogue, user):
    # A long alternative in the linear algebra beginner step (practise role).
    ResourceFactory(slug="long-course", title="Long course", level="beginner",
                    domains=["linear-algebra"], estimated_hours=90)
    Profile.objects.update_or_create(user=user, defaults={"weekly_hours": 5})
    return Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2, calculus=4))


def alternative(user, slug="long-course"):
    return user.roadmap_entries.get(resource__slug=slug)


def test_choosing_another_alternative_moves_the_dates_and_comes_back_to_its_row(
    user_client, user, built
):
    long = alternative(user)
    assert not long.is_chosen
    before = projected_finish(built)
    response = user_client.post(f"/roadmap/entries/{long.pk}/choose/")
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?stage={long.stage.index}#entry-{long.pk}"
    long.refresh_from_db()
    assert long.is_chosen
    siblings = user.roadmap_entries.filter(step=long.step, role=long.role).exclude(pk=long.pk)
    assert siblings.exists() and not siblings.filter(is_chosen=True).exists()
    after = projected_finish(built)
    assert after > before
    page = user_client.get(URL).content.decode()
    assert f"Projected finish: <strong>{after:%-d %B %Y}" in page


def test_with_htmx_choosing_returns_the_redrawn_body(user_client, user, built):
    long = alternative(user)
    response = user_client.post(f"/roadmap/entries/{long.pk}/choose/",
                                headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="roadmap-body"')
    assert "You chose “Long course”" in html


def test_another_learners_entry_cannot_be_chosen(client, other_user, user, built):
    client.force_login(other_user)
    assert client.post(f"/roadmap/entries/{alternative(user).pk}/choose/").status_code == 404
    assert not alternative(user).is_chosen


def test_the_profiles_weekly_hours_move_the_finish_date_at_once(user_client, user, built):
    before = projected_finish(built)
    response = user_client.post("/accounts/profile/", {
        "goal": "general-ml", "weekly_hours": 10, "budget": "any", "time_zone": "UTC",
    })
    assert response.status_code == 302
    built.refresh_from_db()
    assert projected_finish(Roadmap.objects.get(pk=built.pk)) < before
    assert "10 hours a week" in user_client.get(URL).content.decode()
    assert "follow your weekly hours" in user_client.get("/accounts/profile/").content.decode()


def test_a_changed_goal_offers_a_rebuild_that_keeps_progress_and_picks(user_client, user, built):
    long = alternative(user)
    long.choose()
    done = user.roadmap_entries.filter(stage__index=0).first().resource
    Progress.objects.change(user, done, Status.DONE)
    assert "Rebuild my roadmap with these answers" not in user_client.get(URL).content.decode()

    Profile.objects.filter(user=user).update(goal="nlp")
    assert "Rebuild my roadmap with these answers" in user_client.get(URL).content.decode()
    response = user_client.post("/roadmap/rebuild/")
    assert response.status_code == 302

    page = user_client.get(URL).content.decode()
    assert "Rebuild my roadmap with these answers" not in page
    assert user.progress.get(resource=done).status == Status.DONE
    assert alternative(user).is_chosen
    assert Roadmap.objects.get(user=user).weekly_hours == 5


def test_rebuild_without_a_roadmap_is_a_404(user_client):
    assert user_client.post("/roadmap/rebuild/").status_code == 404


def test_a_check_off_without_javascript_comes_back_to_its_row(user_client, user, built):
    page = user_client.get(URL).content.decode()
    entry = user.roadmap_entries.filter(is_chosen=True).first()
    back = f"{URL}?stage={entry.stage.index}#entry-{entry.pk}"
    assert f'name="next" value="{back}"' in page
    response = user_client.post(f"/progress/{entry.resource.slug}/status/",
                                {"status": "done", "next": back})
    assert response["Location"] == back


@pytest.mark.parametrize("extra", [0, 30])
def test_the_roadmap_page_runs_a_fixed_number_of_queries_whatever_its_length(
    user_client, user, built, extra, django_assert_num_queries
):
    for n in range(extra):
        ResourceFactory(slug=f"more-{n}", level="intermediate", domains=["calculus"])
    Roadmap.build_for(user.assessments.first())
    # session, user, roadmap with its profile, stages, entries with resources and progress
    with django_assert_num_queries(5):
        assert user_client.get(URL).status_code == 200


def test_the_dashboards_next_steps_and_count_follow_roles_not_alternatives(
    user_client, user, built
):
    # The linear algebra beginner step: one practise role with three alternatives.
    first, *others = user.roadmap_entries.filter(step="linear-algebra/beginner")
    assert others
    context = user_client.get("/").context
    before = context["overall"].steps_done
    assert {e.pk for e in context["next_steps"]} & {first.pk}
    user_client.post(f"/progress/{others[-1].resource.slug}/status/", {"status": "done"})
    context = user_client.get("/").context
    # One alternative done finishes the role and so the step: its alternatives leave the
    # next steps, and the count moves by one step.
    assert not {e.pk for e in context["next_steps"]} & {first.pk, *(o.pk for o in others)}
    assert context["overall"].steps_done == before + 1
    assert not {e.pk for e in context["focus_choices"]} & {first.pk}
