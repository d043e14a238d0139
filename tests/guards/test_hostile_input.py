"""Bad input never 500s: hostile data to every route, signed out and signed in.

Every route gets the same hostile GET query strings and POST bodies: huge strings, NUL
bytes and other control characters, wrong types, values out of range, 1,001 fields, a
`next` that is a name, a relative path or another site, and a forged `user`; and control
characters in its path. The only acceptable answers are 2xx, 3xx, 400, 403, 404, 405 and
429, and no redirect leaves the site.

Most of those requests stop at validation or at a 404 (a placeholder object does not
exist), before the code that writes. So each POST route of a learner who has something to
change (tests/guards/learner.py) also gets a valid body with one part spoiled at a time,
and `next` set to every kind of foreign target; nothing invalid may be stored.
"""

from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from tests.guards.learner import assert_nothing_invalid_was_stored, learner_client, parallel_posts
from tests.guards.routes import sweep

ACCEPTABLE = {400, 403, 404, 405, 429}
FORM = "application/x-www-form-urlencoded"
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
    "control characters": dict.fromkeys(FIELDS, "a\x01\x08\x0b\x1b\x1f\x7fb"),
    "nul bytes in names": {f"{name}\x00": "x" for name in FIELDS},
    "wrong types": dict.fromkeys(FIELDS, "-1e309"),
    "lists": {name: ["1", "[]", "{}", "\u202e\ufeff"] for name in FIELDS},
    "markup": dict.fromkeys(FIELDS, "<script>alert(1)</script>' OR 1=1 --"),
    "unicode": dict.fromkeys(FIELDS, "\ud7ff\U0010ffff é \U0001d538 \u0000\u200b"),
    "1,001 fields": {f"field{n}": "x" for n in range(1001)},
    "open redirect and forged owner": {"next": "https://evil.example/", "user": "1",
                                      "user_id": "1", "status": "done"},
    # redirect() takes a bare word for a URL name: NoReverseMatch, a 500, once saved.
    "next is a name": {"next": "home"},
    "next is another site without a scheme": {"next": "//evil.example"},
    "next is another site behind a backslash": {"next": "/\\evil.example"},
}


def assert_acceptable(response, what, absolute_path=False):
    """An acceptable status, and any redirect stays on this site.

    With `absolute_path`, a redirect must also be a path from the root, as our own views'
    `next` always is (mathpath/redirects.py); allauth may follow a relative one.
    """
    status = response.status_code
    assert status < 400 or status in ACCEPTABLE, f"{what} answered {status}"
    locations = [response[h] for h in ("HX-Redirect", "HX-Location") if h in response]
    if status in (301, 302, 303, 307, 308):
        locations.append(response["Location"])
    for location in locations:
        # Browsers read a backslash as a slash: "/\\evil.example" is "//evil.example".
        target = urlsplit(location.replace("\\", "/"))
        assert target.scheme in ("", "http", "https"), f"{what} redirected to {location!r}"
        assert target.netloc in ("", "testserver"), f"{what} redirected off-site: {location!r}"
        if absolute_path:
            assert location.startswith("/"), f"{what} redirected to {location!r}"


@pytest.fixture(params=["anonymous", "signed in"])
def hostile_client(request, db):
    client = Client(raise_request_exception=False)
    if request.param == "signed in":
        client.force_login(request.getfixturevalue("user"))
    return client


@pytest.mark.parametrize("payload", sorted(HOSTILE))
def test_hostile_posts_never_cause_a_server_error(hostile_client, samples, payload):
    for n, (_, url) in enumerate(sweep(samples)):
        if payload == "1,001 fields":
            # The field limit acts before any view, so once is enough for htmx and for a
            # multipart body (Django's multipart parser reads all 1,001 parts first: seconds
            # per route); every route gets the form encoding browsers send by default.
            response = hostile_client.post(url, urlencode(HOSTILE[payload]), content_type=FORM)
            assert_acceptable(response, f"POST {url} ({payload}, urlencoded)")
            if n == 0:
                multipart = hostile_client.post(url, HOSTILE[payload])
                assert_acceptable(multipart, f"POST {url} ({payload}, multipart)")
            continue
        response = hostile_client.post(url, HOSTILE[payload])
        assert_acceptable(response, f"POST {url} ({payload})")
        htmx = hostile_client.post(url, HOSTILE[payload], headers={"HX-Request": "true"})
        assert_acceptable(htmx, f"htmx POST {url} ({payload})")


# Query strings: a few filter and paging fields, long enough to overflow any max_length.
HOSTILE_QUERIES = {
    "long": dict.fromkeys(["q", "domain", "level", "page", "next"], "x" * 5_000),
    "nul bytes": dict.fromkeys(["q", "domain", "level", "page", "next"], "a\x00b"),
    "control characters": dict.fromkeys(["q", "domain", "level", "page", "next"],
                                        "a\x01\x1f\x7fb"),
    "nul bytes in names": {"q\x00": "x", "\x00": "x"},
    "next is a name or another site": {"next": ["x", "//evil.example", "/\\evil.example"]},
    "wrong types": {"page": ["-1", "1e309", "99999999999999999999"], "level": "[]"},
    "markup": dict.fromkeys(["q", "domain", "next"], "<script>alert(1)</script>'--"),
}


@pytest.mark.parametrize("payload", sorted(HOSTILE_QUERIES))
def test_hostile_query_strings_never_cause_a_server_error(hostile_client, samples, payload):
    for _, url in sweep(samples):
        response = hostile_client.get(url, HOSTILE_QUERIES[payload])
        assert_acceptable(response, f"GET {url} ({payload})")


@pytest.mark.parametrize("spoiler", ["%00", "%01%08%0B%1B%1F%7F"], ids=["nul", "control"])
def test_control_characters_in_the_path_never_cause_a_server_error(hostile_client, samples,
                                                                   spoiler):
    for _, url in sweep(samples):
        # At the end of each part of the path (its fixed words and its arguments: a slug, a
        # pk), before a part's extension (a token in "<token>.ics"), and at the very end.
        parts = url.split("/")
        spoiled = {url + spoiler}
        for n, part in enumerate(parts):
            for changed in {part + spoiler, part.replace(".", spoiler + ".", 1)} - {part}:
                if part:
                    spoiled.add("/".join([*parts[:n], changed, *parts[n + 1:]]))
        for bad in sorted(spoiled):
            assert_acceptable(hostile_client.get(bad), f"GET {bad}")
            assert_acceptable(hostile_client.post(bad), f"POST {bad}")


# --- A learner's valid POSTs with one part spoiled ------------------------------------------

CONTROL = "\x01\x08\x0b\x1b\x1f\x7f"
HTMX = {"HX-Request": "true"}
LEARNER_ROUTES = sorted(parallel_posts.ROUTES)


def learner_request(learner, route):
    return next((path, body) for name, path, body in parallel_posts.requests_for(learner)
                if name == route)


@pytest.mark.parametrize("route", LEARNER_ROUTES)
def test_a_nul_or_control_character_in_any_field_of_a_valid_post_is_never_a_server_error(
    learner, route
):
    client = learner_client(learner)
    path, body = learner_request(learner, route)
    # NUL first, in every field: with it refused, the learner's data is still as seeded
    # when the next field is tried. Control characters can be stored, so those requests
    # may change things; they must still never fail.
    for bad in ("a\x00b", "\x00", f"a{CONTROL}b"):
        for name in [*body, "next", "unknown"]:
            spoiled = {**body, name: bad}
            for headers in ({}, HTMX):
                response = client.post(path, spoiled, headers=headers)
                assert_acceptable(response, f"POST {path} {name}={bad!r} {headers}", True)
    assert_nothing_invalid_was_stored()


# Every kind of target that is not a path on this site, as a form field. "%2F%2F…" arrives
# as those characters (double-encoded); the raw query strings below arrive decoded.
FOREIGN_NEXT = [
    "x", "home", "assessment:roadmap", "x/y", "../", "./", "?next=x",
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x",
    "http://evil.example", "https://evil.example/", "http:evil.example",
    "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example",
    "/\t/evil.example", " //evil.example", "%2F%2Fevil.example", "%5C%5Cevil.example",
]
RAW_QUERY_NEXT = [
    "next=x", "next=%2F%2Fevil.example", "next=%2F%5Cevil.example",
    "next=%252F%252Fevil.example", "next=javascript%3Aalert(1)", "next=%2F%09%2Fevil.example",
]


@pytest.mark.parametrize("route", LEARNER_ROUTES)
def test_a_foreign_next_on_a_valid_post_is_never_followed(learner, route):
    client = learner_client(learner)
    path, body = learner_request(learner, route)
    for target in FOREIGN_NEXT:
        for headers in ({}, HTMX):
            response = client.post(path, {**body, "next": target}, headers=headers)
            assert_acceptable(response, f"POST {path} next={target!r} {headers}", True)
    for query in RAW_QUERY_NEXT:
        response = client.post(f"{path}?{query}", body)
        assert_acceptable(response, f"POST {path}?{query}", True)
    assert_nothing_invalid_was_stored()


def test_a_foreign_next_never_becomes_a_link_on_the_note_page(learner):
    client = learner_client(learner)
    path = f"/notes/{learner['slug']}/"
    for target in FOREIGN_NEXT:
        html = client.get(path, {"edit": "1", "next": target}).content.decode()
        assert f'href="{target}"' not in html and f'value="{target}"' not in html, target
