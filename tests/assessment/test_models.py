"""Storing a roadmap: building, rebuilding, and the learner's own changes surviving."""

from datetime import date

from assessment.models import Roadmap, RoadmapEntry
from tests.assessment.factories import AssessmentFactory, ResourceFactory
from tests.assessment.shown import entry_as_shown, projected_finish, scheduled_stages


def test_building_saves_stages_and_entries_in_order(catalogue, user):
    assessment = AssessmentFactory(user=user, linear_algebra=2, calculus=4)
    roadmap = Roadmap.build_for(assessment, starts_on=date(2026, 1, 5))

    stages = scheduled_stages(roadmap)
    assert stages[0].area == "linear-algebra"
    assert stages[-1].area == "go-deeper"
    first = list(stages[0].entries.order_by("position"))
    assert first[0].resource.level == "beginner"
    assert all(e.reason for e in first)
    assert roadmap.starts_on == stages[0].starts_on == date(2026, 1, 5)
    assert roadmap.finishes_on == stages[-1].finishes_on > roadmap.starts_on


def test_free_only_keeps_paid_resources_off_the_stored_roadmap(catalogue, user):
    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=1, budget="free"))
    assert not user.roadmap_entries.filter(resource__slug="paid-course").exists()
    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=1, budget="any"))
    assert user.roadmap_entries.filter(resource__slug="paid-course").exists()


def test_unpublished_resources_never_reach_a_roadmap(catalogue, user):
    hidden = ResourceFactory(slug="draft", level="beginner", published=False,
                             domains=["linear-algebra"])
    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=1))
    assert not user.roadmap_entries.filter(resource=hidden).exists()


def test_rebuilding_replaces_entries_but_keeps_skips_and_added_resources(catalogue, user):
    roadmap = Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2))
    skipped = user.roadmap_entries.get(resource__slug="linear-algebra-beginner-1")
    skipped.skip("I did this at school")
    added = roadmap.add_resource(catalogue["linear-algebra-advanced-1"])
    assert added.added_by_learner

    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=1, calculus=5))

    # The rebuild made new entries; the skip is the learner's progress and carries over.
    rebuilt = user.roadmap_entries.for_roadmap_page().get(resource__slug=skipped.resource.slug)
    assert rebuilt.skipped and rebuilt.skip_reason == "I did this at school"
    kept = user.roadmap_entries.get(resource__slug="linear-algebra-advanced-1")
    assert kept.added_by_learner and kept.reason == "You added this from the catalogue."
    assert Roadmap.objects.filter(user=user).count() == 1


def test_rebuilding_never_duplicates_an_entry(catalogue, user):
    for _ in range(3):
        Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2))
    slugs = list(user.roadmap_entries.values_list("resource__slug", flat=True))
    assert len(slugs) == len(set(slugs))


def test_skipping_a_step_moves_the_projected_finish_earlier(catalogue, user):
    roadmap = Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2, weekly_hours=5))
    before = projected_finish(roadmap)
    for entry in user.roadmap_entries.filter(stage__area="linear-algebra"):
        entry.skip()
    assert projected_finish(roadmap) < before


def test_adding_a_skipped_resource_puts_it_back(catalogue, user):
    roadmap = Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2))
    entry = user.roadmap_entries.get(resource__slug="linear-algebra-beginner-1")
    entry.skip()
    assert entry_as_shown(entry).skipped
    roadmap.add_resource(entry.resource)
    assert not entry_as_shown(entry).skipped
    assert RoadmapEntry.objects.filter(user=user, resource=entry.resource).count() == 1


def test_an_assessment_reports_its_change_since_the_previous_one(user):
    first = AssessmentFactory(user=user, linear_algebra=2, calculus=4)
    second = AssessmentFactory(user=user, linear_algebra=4, calculus=2)
    assert first.changes_since(None) is None
    assert second.changes_since(first) == {
        "linear_algebra": 2, "calculus": -2, "probability_statistics": 0, "programming": 0,
    }
