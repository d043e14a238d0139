"""Bad input never 500s: hostile data to every route, signed out and signed in.

Every route gets the same hostile GET query strings and POST bodies: huge strings, NUL
bytes, wrong types, values out of range, 1,001 fields, an open-redirect `next` and a
forged `user`. The only acceptable answers are 2xx, 3xx, 400, 403, 404, 405 and 429, and
no redirect leaves the site.
"""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.guards.routes import sweep

ACCEPTABLE = {400, 403, 404, 405, 429}
FIELDS = [
    "status", "reason", "body", "note", "text", "email", "login", "password", "password1",
    "password2", "goal", "linear_algebra", "calculus", "probability_statistics",
    "programming", "budget", "styles", "weekly_hours", "resource", "rating", "answer",
    "q", "domain", "level", "format", "style", "cost", "page", "context", "time_zone",
    "remember", "code", "key",
]
HOSTILE = {
    "huge": dict.fromkeys(FIELDS, "x" * 20_000),
    "nul bytes": dict.fromkeys(FIELDS, "a\x00b"),
    "wrong types": dict.fromkeys(FIELDS, "-1e309"),
    "lists": {name: ["1", "[]", "{}", "\u202e\ufeff"] for name in FIELDS},
    "markup": dict.fromkeys(FIELDS, "<script>alert(1)</script>' OR 1=1 --"),
    "unicode": dict.fromkeys(FIELDS, "\ud7ff\U0010ffff é \U0001d538 \u0000\u200b"),
    "1,001 fields": {f"field{n}": "x" for n in range(1001)},
    "open redirect and forged owner": {"next": "https://evil.example/", "user": "1",
                                      "user_id": "1", "status": "done"},
}


def assert_acceptable(response, what):
    status = response.status_code
    assert status < 400 or status in ACCEPTABLE, f"{what} answered {status}"
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"])
        assert target.netloc in ("", "testserver"), f"{what} redirected off-site: {target}"


@pytest.fixture(params=["anonymous", "signed in"])
def hostile_client(request, db):
    client = Client(raise_request_exception=False)
    if request.param == "signed in":
        client.force_login(request.getfixturevalue("user"))
    return client


@pytest.mark.parametrize("payload", sorted(HOSTILE))
def test_hostile_posts_never_cause_a_server_error(hostile_client, samples, payload):
    for _, url in sweep(samples):
        response = hostile_client.post(url, HOSTILE[payload])
        assert_acceptable(response, f"POST {url} ({payload})")
        if payload != "1,001 fields":  # the field limit acts before any view: once is enough
            htmx = hostile_client.post(url, HOSTILE[payload], headers={"HX-Request": "true"})
            assert_acceptable(htmx, f"htmx POST {url} ({payload})")


# Query strings: a few filter and paging fields, long enough to overflow any max_length.
HOSTILE_QUERIES = {
    "long": dict.fromkeys(["q", "domain", "level", "page", "next"], "x" * 5_000),
    "nul bytes": dict.fromkeys(["q", "domain", "level", "page", "next"], "a\x00b"),
    "wrong types": {"page": ["-1", "1e309", "99999999999999999999"], "level": "[]"},
    "markup": dict.fromkeys(["q", "domain", "next"], "<script>alert(1)</script>'--"),
}


@pytest.mark.parametrize("payload", sorted(HOSTILE_QUERIES))
def test_hostile_query_strings_never_cause_a_server_error(hostile_client, samples, payload):
    for _, url in sweep(samples):
        response = hostile_client.get(url, HOSTILE_QUERIES[payload])
        assert_acceptable(response, f"GET {url} ({payload})")
