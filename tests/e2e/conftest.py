"""Browser journeys in Debian's Chromium, driven by Playwright against a live server.

Chromium comes from the distribution (apt-get install chromium), never from
`playwright install`. Without it every test in this folder is skipped with one line.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_CHROMIUM = "Chromium not found on PATH: apt-get install chromium"
E2E_DIR = Path(__file__).resolve().parent


def find_chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def pytest_collection_modifyitems(config, items):
    chromium = find_chromium()
    for item in items:
        if E2E_DIR in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            if chromium is None:
                item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


def pytest_terminal_summary(terminalreporter):
    if find_chromium() is None and any(
        E2E_DIR in Path(report.fspath).resolve().parents
        for report in terminalreporter.stats.get("skipped", [])
    ):
        terminalreporter.write_line(f"Browser journeys skipped: {NO_CHROMIUM}")


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module.

    Playwright's sync API runs an event loop in this thread, so Django would refuse the
    tests' own ORM calls; DJANGO_ALLOW_ASYNC_UNSAFE allows them while the browser is open
    (the live server runs in its own thread). Per module, so neither the loop nor the
    variable outlives the browser tests: later tests and subprocesses never see them.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=find_chromium(), headless=True, args=CHROMIUM_FLAGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context, request):
    """A browser tab that fails the test on any console error (CSP violations included)."""
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    screenshot(page, request.node.name)
    unexpected = [e for e in errors if not _expected_console_error(e)]
    assert not unexpected, f"console errors: {unexpected}"


def _expected_console_error(text):
    # Chromium logs every 4xx/5xx response; the journeys that visit error pages mean to.
    return text.startswith("Failed to load resource: the server responded with a status of")


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "-", name).strip("-")
    page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)


def sign_in(context, live_server, user):
    """Give the browser a session for `user` without typing a password."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def axe_violations(page):
    """Run axe-core in the page against WCAG 2.0, 2.1 and 2.2 levels A and AA.

    axe is loaded from the site's own static files: the strict CSP (script-src 'self')
    would block it injected inline, and the page must be tested under its real policy.
    """
    page.add_script_tag(url=f"/{settings.STATIC_URL.strip('/')}/vendor/axe/axe.min.js")
    return page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: "tag", values: [
                "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]},
            resultTypes: ["violations"],
        }).then(result => result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary),
        })))"""
    )


def has_horizontal_scroll(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.fixture
def real_catalogue(transactional_db):
    """The shipped catalogue and concepts, as `make run` loads them."""
    from django.core.management import call_command

    call_command("loadcatalog", verbosity=0)


def rate(page, goal, ratings, *, hours="5"):
    """The self-assessment filled in as a visitor: a goal, the 1-5 ratings and the hours."""
    page.goto("/assessment/")
    page.get_by_label(goal).check()
    for field, value in ratings.items():
        page.locator(f'input[name="{field}"][value="{value}"]').check()
    page.get_by_label("Study hours per week").fill(hours)


def sign_up_from_preview(page, email):
    """From the roadmap preview: "Sign up to save it" and the sign-up form."""
    from tests.factories import PASSWORD

    page.get_by_role("link", name="Sign up to save it").first.click()
    page.get_by_label("Email").fill(email)
    page.locator('input[name="password1"]').fill(PASSWORD)
    page.locator('input[name="password2"]').fill(PASSWORD)
    page.locator('form button[type="submit"]').last.click()
