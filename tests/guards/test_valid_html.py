"""Every page is valid HTML by the Nu HTML Checker (vnu.jar from npm's vnu-jar).

`make test` installs vnu-jar under build/vnu/ with npm; Java runs it. Without either the
check is skipped with one line saying why.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.guards.routes import is_public, sweep

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(
    os.environ.get("VNU_JAR", ROOT / "build" / "vnu" / "node_modules" / "vnu-jar" / "build"
                   / "dist" / "vnu.jar")
)


def vnu_missing():
    if shutil.which("java") is None:
        return "Java not found: the HTML check needs it (apt-get install default-jre-headless)"
    if not VNU_JAR.exists():
        return f"{VNU_JAR.relative_to(ROOT)} not found: make test installs it with npm"
    return None


# Errors known today, by page and a fragment of the checker's message, with who fixes what.
# Any other error fails the test; remove an entry once its page is fixed.
KNOWN_ERRORS = {}

pytestmark = pytest.mark.skipif(vnu_missing() is not None, reason=str(vnu_missing()))


def collect(client, who, keep, samples, pages):
    for _, url in sweep(samples, keep):
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[f"{url} ({who})"] = response.content


def validate(pages, folder):
    """Run vnu once over every page; {page name: [error messages]}."""
    names = {}
    for n, (name, html) in enumerate(pages.items()):
        path = folder / f"page{n}.html"
        path.write_bytes(html)
        names[f"file:{path.resolve()}"] = name
        names[path.resolve().as_uri()] = name
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
         "--exit-zero-always", *(str(folder / f"page{n}.html") for n in range(len(pages)))],
        capture_output=True, text=True, timeout=120, check=True,
    )
    errors = {}
    for message in json.loads(result.stderr or result.stdout)["messages"]:
        page = names.get(message.get("url"), message.get("url"))
        errors.setdefault(page, []).append(
            f"line {message.get('lastLine')}: {message['message']} "
            f"[{message.get('extract', '').strip()[:80]}]"
        )
    return errors


@pytest.mark.django_db
def test_every_page_is_valid_html(user_client, samples, user, tmp_path):
    from assessment.models import RATING_FIELDS, take_assessment

    call_command("loadcatalog", verbosity=0)
    answers = dict.fromkeys(RATING_FIELDS, 2)
    answers.update(goal="general-ml", budget="any", styles=["visual"], weekly_hours=5)
    take_assessment(user, answers)

    pages = {}
    client = Client()  # user_client is pytest-django's `client`, signed in
    collect(client, "anonymous", is_public, samples, pages)
    collect(user_client, "signed in", lambda r: not r.key.startswith("admin"), samples, pages)
    pages["/no/such/page/ (anonymous)"] = client.get("/no/such/page/").content
    assert len(pages) >= 10

    errors = {
        page: [m for m in messages if not any(
            page == known_page and fragment in m for known_page, fragment in KNOWN_ERRORS
        )]
        for page, messages in validate(pages, tmp_path).items()
    }
    errors = {page: messages for page, messages in errors.items() if messages}
    assert not errors, "\n".join(
        f"{page}:\n  " + "\n  ".join(messages) for page, messages in errors.items()
    )


@pytest.mark.django_db
def test_the_dashboard_with_continue_and_a_lowered_plan_is_valid_html(user_client, user,
                                                                       tmp_path):
    import datetime

    from assessment.models import Roadmap
    from progress.models import Focus, LearnerCard, Progress, Status, StudyLog
    from tests.assessment.factories import AssessmentFactory, ResourceFactory
    from tests.progress.concepts import concept_with_cards

    call_command("loadcatalog", verbosity=0)
    done = ResourceFactory(level="beginner", domains=["linear-algebra"], estimated_hours=60)
    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=1))
    concept_with_cards("vnu-concept", [done])
    Progress.objects.change(user, done, Status.DONE)
    LearnerCard.objects.filter(user=user).update(due=datetime.date.today())
    Focus.objects.start(user, user.roadmap_entries.exclude(resource=done).first().resource,
                        datetime.date.today())
    for n in range(1, 5):
        StudyLog.objects.create(user=user, minutes=10,
                                logged_on=datetime.date.today() - datetime.timedelta(weeks=n))
    pages = {"dashboard (slipping)": user_client.get("/").content}
    assert b"What would you like to do?" in pages["dashboard (slipping)"]
    user_client.post("/dashboard/lower-plan/", {"lowered": "1"})
    pages["dashboard (lowered)"] = user_client.get("/").content
    assert b"Put the full plan back" in pages["dashboard (lowered)"]
    assert validate(pages, tmp_path) == {}
