import pytest

from tests.assessment.factories import small_catalogue


@pytest.fixture
def catalogue(db):
    return small_catalogue()
