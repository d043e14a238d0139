"""Every POST route of a learner, 30 requests at once each, under gunicorn: no 5xx.

This is scripts/parallel_posts.py run by the test suite, so CI covers it: the same routes,
bodies and bursts (half plain, half htmx), against gunicorn on 127.0.0.1 serving the test
database. Before the fixes in docs/security.md ("Concurrent requests"), 12 to 16 of its 450
answers were 500s: IntegrityErrors on the one-live-row constraints of the calendar and the
focus, and on the one-entry-per-resource constraint of the roadmap.
"""

import pytest
from django.conf import settings

from tests.database import url_of_test_database
from tests.guards.learner import assert_nothing_invalid_was_stored, parallel_posts
from tests.guards.routes import all_routes

TIMES = 30


def test_every_route_of_the_learners_apps_is_fired_or_takes_no_post():
    names = {r.name for r in all_routes() if r.name and r.name.split(":")[0] in
             ("assessment", "progress", "accounts")}
    missing = names - set(parallel_posts.ROUTES) - set(parallel_posts.NOT_POSTED)
    assert not missing, (
        f"{sorted(missing)}: add a body to ROUTES in scripts/parallel_posts.py, or say in "
        "NOT_POSTED why the route takes no POST"
    )


@pytest.mark.gunicorn
@pytest.mark.django_db(transaction=True)
def test_thirty_of_each_post_at_once_answer_no_server_error(learner):
    process, port = parallel_posts.start_gunicorn(url_of_test_database(), settings.SECRET_KEY, 3)
    try:
        answers = parallel_posts.fire_all(port, learner, TIMES)
    finally:
        parallel_posts.stop(process)
    assert parallel_posts.failures(answers) == {}, answers
    assert sum(sum(codes.values()) for codes in answers.values()) == TIMES * len(answers)
    assert_nothing_invalid_was_stored()
