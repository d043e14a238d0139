"""The assessment and roadmap sections of the learner's data export."""

import json

from accounts.export import export_user_data
from assessment.export import user_sections
from assessment.models import Roadmap
from tests.assessment.factories import AssessmentFactory


def test_the_export_holds_every_assessment_and_the_roadmap(catalogue, user, other_user):
    first = AssessmentFactory(user=user, linear_algebra=2, goal="computer-vision")
    AssessmentFactory(user=user, linear_algebra=4)
    roadmap = Roadmap.build_for(first)
    Roadmap.build_for(AssessmentFactory(user=other_user))
    user.roadmap_entries.get(resource__slug="linear-algebra-beginner-1").skip("Done at school")

    sections = user_sections(user)

    assert [a["ratings"]["linear_algebra"] for a in sections["assessments"]] == [2, 4]
    assert sections["assessments"][0]["ratings"] == {
        "linear_algebra": 2, "calculus": 3, "probability_statistics": 3, "programming": 3,
        "discrete_math": None,
    }
    assert sections["assessments"][0]["goal"] == "computer-vision"
    assert sections["assessments"][0]["taken_at"]
    entries = sections["roadmap"]
    assert len(entries) == user.roadmap_entries.count()
    first_entry = entries[0]
    assert first_entry["stage"] == 1 and first_entry["position"] == 1
    assert first_entry["domain"] == "linear-algebra"
    assert first_entry["level"] == "beginner"
    assert first_entry["resource"] in catalogue
    assert first_entry["title"] and first_entry["reason"]
    # The stages' dates as the roadmap page shows them, drawn from the learner's progress.
    assert first_entry["stage_starts_on"] == roadmap.starts_on.isoformat()
    assert first_entry["stage_finishes_on"] > first_entry["stage_starts_on"]
    (skipped,) = [e for e in entries if e["skipped"]]
    assert skipped["resource"] == "linear-algebra-beginner-1"
    assert skipped["skip_reason"] == "Done at school"
    # Steps, roles and picks: one chosen alternative per role, references never required.
    assert first_entry["step"] == "linear-algebra/beginner"
    assert first_entry["role"] in {"understand", "practise", "apply"}
    assert first_entry["chosen"] is True and first_entry["optional"] is False
    assert {e["role"] for e in entries if e["domain"] == "go-deeper"} == {"reference"}
    assert all(e["optional"] for e in entries if e["domain"] == "go-deeper")
    summary = sections["roadmap_summary"]
    assert summary["steps_done"] == 0 and summary["percent"] == 0
    # Two levels in each of the four areas (linear algebra 2, the others 3).
    assert summary["steps_total"] == 8
    assert summary["projected_finish"] == max(e["stage_finishes_on"] for e in entries)
    json.dumps(sections)  # the export is written as JSON


def test_a_new_learner_exports_empty_sections(user):
    assert user_sections(user) == {
        "assessments": [],
        "roadmap": [],
        "roadmap_summary": {
            "steps_total": 0, "steps_done": 0, "percent": 0, "projected_finish": None,
        },
        "emails_sent": [],
    }
    # The progress app writes the other learning sections (progress/export.py).
    data = export_user_data(user)
    for key in ("assessments", "roadmap", "progress", "reviews", "focus", "notes", "exercises",
                "calendar"):
        assert data[key] == [], key


def test_the_export_file_at_its_url_holds_the_assessments_and_the_roadmap(
    catalogue, user_client, user
):
    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2))
    response = user_client.get("/accounts/export/")
    assert response["Content-Disposition"] == 'attachment; filename="mathpath-export.json"'
    data = response.json()
    assert data["assessments"] == user_sections(user)["assessments"]
    assert len(data["roadmap"]) == user.roadmap_entries.count() > 0
