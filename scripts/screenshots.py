"""Screenshots of the main pages for the README, taken from the running site in Chromium.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Each page at 1280x800 (name.png, the README's) and at 390x844 (name-phone.png).

Starts a throw-away PostgreSQL cluster (never the site's own), loads the catalogue, makes a
learner with an assessment, a roadmap and a few finished resources, serves the site with
gunicorn (production-style settings) on 127.0.0.1 and photographs home, catalogue,
assessment, roadmap and dashboard with Debian's chromium (apt-get install chromium).
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "scripts"))

from db_restart_under_load import (  # noqa: E402
    free_port,
    request,
    start_cluster,
    tear_down,
)

PYTHON = sys.executable
SIZES = {"": {"width": 1280, "height": 800}, "-phone": {"width": 390, "height": 844}}
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGES = [
    ("home", "/", False),
    ("catalogue", "/catalog/?domain=linear-algebra", False),
    ("resource", "/catalog/khan-academy-linear-algebra/", True),
    ("assessment", "/assessment/", False),
    ("roadmap", "/roadmap/", True),
    ("dashboard", "/", True),
]
FINISH_SOME = """
import django
django.setup()
from django.contrib.sessions.models import Session
from accounts.models import User
from progress.models import Progress
user = User.objects.get(pk=Session.objects.get(session_key={key!r}).get_decoded()["_auth_user_id"])
for n, entry in enumerate(user.roadmap_entries.select_related("resource").order_by("pk")[:4]):
    Progress.objects.change(user, entry.resource, "done" if n < 3 else "in_progress")
"""


def find_chromium() -> str:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        raise SystemExit("Chromium not found on PATH: apt-get install chromium")
    return chromium


@contextlib.contextmanager
def seeded_site(prefix="mp-shots-"):
    """A throw-away copy of the site under gunicorn: yields (base URL, a learner's session).

    The learner has an assessment, a roadmap and a few resources done or in progress.
    """
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    server = gunicorn = None
    try:
        server, url = start_cluster(workdir / "pg")
        env = {
            **os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "mathpath.settings",
            "DEBUG": "0", "HTTPS": "0", "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1", "ADMIN_REQUIRE_MFA": "0", "PYTHONPATH": str(BASE_DIR),
        }
        for command in (["migrate", "--noinput", "-v", "0"],
                        ["collectstatic", "--noinput", "-v", "0"]):
            subprocess.run([PYTHON, "manage.py", *command], cwd=BASE_DIR, env=env, check=True)
        seeded = json.loads(subprocess.run(
            [PYTHON, str(BASE_DIR / "benchmarks" / "load.py"), "--seed", "1", "0", "1"],
            cwd=BASE_DIR, env=env, check=True, stdout=subprocess.PIPE, text=True,
        ).stdout.strip().splitlines()[-1])
        session = seeded["sessions"][0]
        subprocess.run([PYTHON, "-c", FINISH_SOME.format(key=session)], cwd=BASE_DIR, env=env,
                       check=True)

        port = free_port()
        gunicorn = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "mathpath.wsgi", "--bind",
             f"127.0.0.1:{port}", "--workers", "2", "--log-level", "critical"],
            cwd=BASE_DIR, env=env,
        )
        while request(port, "GET", "/healthz", {})[0] != 200:
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", session
    finally:
        tear_down(gunicorn, server, workdir)


def main():
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(BASE_DIR / "docs" / "screenshots"))
    args = parser.parse_args()
    chromium = find_chromium()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with seeded_site() as (base, session), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_FLAGS
        )
        for signed_in in (False, True):
            for suffix, viewport in SIZES.items():
                context = browser.new_context(base_url=base, viewport=viewport)
                if signed_in:
                    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
                page = context.new_page()
                for name, path, wants_session in PAGES:
                    if wants_session != signed_in:
                        continue
                    page.goto(path)
                    target = out / f"{name}{suffix}.png"
                    page.screenshot(path=str(target))
                    print(f"{target.relative_to(BASE_DIR)}  ({path})")
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
