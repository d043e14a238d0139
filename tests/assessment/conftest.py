import pytest

from tests.assessment.factories import small_catalogue

# The browser journey uses the Chromium fixtures of the end-to-end suite.
from tests.e2e.conftest import browser, context, page  # noqa: F401


@pytest.fixture
def catalogue(db):
    return small_catalogue()
