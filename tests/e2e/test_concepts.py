"""The concepts pages in Chromium: the graph, typeset maths, the notebook download, no JS needed."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_horizontal_scroll, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(transactional_db):
    call_command("loadcatalog", verbosity=0)


def test_a_visitor_finds_a_concept_reads_its_maths_and_downloads_its_notebook(page, catalogue):
    page.goto("/concepts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Concepts")
    graph = page.locator("#graph-linear-algebra")
    expect(graph).to_be_visible()
    assert graph.bounding_box()["height"] > 100
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    screenshot(page, "concepts-index")

    page.locator("#graph-linear-algebra-list > li > a").get_by_text(
        "Matrices as linear transformations"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Matrices as linear transformations")
    expect(page.get_by_text("Chapter 3: Linear transformations and matrices")).to_be_visible()
    maths = page.locator(".card-previews math").first
    expect(maths).to_be_visible()
    assert maths.bounding_box()["height"] > 10  # drawn by the browser, not left as source
    assert axe_violations(page) == []
    screenshot(page, "concept-linear-transformations")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the notebook").click()
    assert download.value.suggested_filename == "linear-transformations.ipynb"
    notebook = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert "raise NotImplementedError" in "".join(notebook["cells"][1]["source"])


def test_the_pages_work_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/catalog/3blue1brown-essence-of-linear-algebra/")
        page.get_by_role("link", name="Eigenvalues and eigenvectors").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Eigenvalues and eigenvectors")
        page.get_by_role("link", name="Singular value decomposition").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Singular value decomposition")
    finally:
        context.close()
