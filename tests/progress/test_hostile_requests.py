"""Requests that used to be 500s on the learner's routes: NUL bytes and a bare-word `next`.

A NUL byte (PostgreSQL cannot store one) in a path, a query value or a form field is a 400
with a page that says why, before any view runs, and nothing is stored. A `next` that is
not a path on this site (a bare word that redirect() would take for a URL name, a relative
path, another site, another scheme) is ignored: the change is saved and the browser goes
where it would have gone without one.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from mathpath.middleware import UNSTORABLE_MESSAGE, has_unstorable_characters
from mathpath.redirects import safe_next
from progress.models import ExerciseSuggestion, Focus, Note, Progress, Status
from tests.progress.conftest import HTMX

MESSAGE = "a character that cannot be stored"


@pytest.fixture
def lenient_client(user):
    """Signed in, and a server error comes back as a 500 answer instead of raising."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def assert_refused_with_a_page(response):
    assert response.status_code == 400
    html = response.content.decode()
    assert MESSAGE in html and html.count("<h1") == 1


def assert_refused_with_a_fragment(response):
    assert response.status_code == 400
    html = response.content.decode()
    assert MESSAGE in html and "<h1" not in html and "<html" not in html


def test_a_nul_in_the_calendar_address_is_a_400_for_a_visitor(db):
    response = Client(raise_request_exception=False).get("/calendar/%00.ics")
    assert_refused_with_a_page(response)


def test_a_nul_in_a_note_is_refused_and_nothing_is_saved(lenient_client, first_entry):
    url = f"/notes/{first_entry.resource.slug}/"
    assert_refused_with_a_page(lenient_client.post(url, {"text": "a\x00b"}))
    assert_refused_with_a_fragment(lenient_client.post(url, {"text": "a\x00b"}, headers=HTMX))
    assert not Note.objects.exists()


def test_a_nul_as_the_focus_resource_is_refused(lenient_client, first_entry):
    assert_refused_with_a_page(lenient_client.post("/focus/", {"resource": "\x00"}))
    assert not Focus.objects.exists()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_nul_in_a_skip_reason_is_refused_and_the_status_stays(
    lenient_client, user, first_entry, headers
):
    url = f"/progress/{first_entry.resource.slug}/status/"
    response = lenient_client.post(url, {"status": "skipped", "reason": "a\x00b"},
                                   headers=headers)
    check = assert_refused_with_a_fragment if headers else assert_refused_with_a_page
    check(response)
    assert not Progress.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "request_args",
    [
        ("get", "/catalog/", {"q": "a\x00b"}),
        ("get", "/catalog/", {"q\x00": "x"}),  # in a field's name
        ("get", "/catalog/a%00b/", {}),
        ("post", "/focus/", {"resource": ["ok", "\x00"]}),  # the second of two values
    ],
    ids=["query value", "query key", "path", "second form value"],
)
def test_a_nul_anywhere_in_a_request_is_refused(lenient_client, first_entry, request_args):
    method, url, data = request_args
    assert_refused_with_a_page(getattr(lenient_client, method)(url, data))


def test_a_nul_in_an_uploaded_file_name_never_reaches_a_view(lenient_client, rf):
    # Django's multipart parser drops unprintable characters from file names itself ...
    upload = SimpleUploadedFile("notes\x00.txt", b"x")
    response = lenient_client.post("/focus/", {"resource": "x", "file": upload})
    assert response.status_code == 404  # the resource "x", not a server error
    # ... and the check covers a request whose upload kept one.
    request = rf.post("/focus/")
    request._files = MultiValueDict({"file": [SimpleUploadedFile("notes\x00.txt", b"x")]})
    request._post = QueryDict()
    assert has_unstorable_characters(request)


def test_a_nul_in_the_session_cookie_is_a_400_not_a_server_error(db):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abcdefghijkl\x00mnop"
    assert_refused_with_a_page(client.get("/"))


def test_lone_surrogates_count_as_unstorable_too():
    # Django decodes requests with errors="replace", so none arrives over HTTP; a request
    # built in code is checked all the same.
    request = RequestFactory().get("/catalog/")
    request.GET = QueryDict(mutable=True)
    request.GET["q"] = "\ud800"
    assert has_unstorable_characters(request)
    request.GET["q"] = "\U0001d538 \u200b \x01 é"
    assert not has_unstorable_characters(request)


def test_control_characters_postgresql_can_store_are_not_refused(user_client, user, first_entry):
    url = f"/notes/{first_entry.resource.slug}/"
    assert user_client.post(url, {"text": "tab\tbell\x07escape\x1b"}).status_code == 302
    assert Note.objects.get(user=user).text == "tab\tbell\x07escape\x1b"


def test_the_message_says_what_to_do():
    assert "Remove it and try again" in UNSTORABLE_MESSAGE


# --- `next` --------------------------------------------------------------------------------

FOREIGN_NEXT = [
    "x", "home", "assessment:roadmap", "x/y", "../", "./x", "?q=1", "#top",
    "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,hi",
    "http://evil.example", "https://evil.example/", "//evil.example", "///evil.example",
    "/\\evil.example", "\\\\evil.example", "/\t/evil.example", " /x", "/x\x01",
    "%2F%2Fevil.example", "http:evil.example",
]


@pytest.mark.parametrize("target", FOREIGN_NEXT)
def test_a_next_that_is_not_a_path_here_is_never_followed(rf, target):
    request = rf.post("/focus/", {"next": target})
    assert safe_next(request, "/fallback/") == "/fallback/"
    assert safe_next(rf.get("/focus/", {"next": target}), "/fallback/") == "/fallback/"


@pytest.mark.parametrize(
    "target", ["/", "/roadmap/", "/catalog/?domain=calculus&page=2", "/roadmap/#entry-3",
               "/catalog/%2F%2Fevil.example/"],
)
def test_a_path_on_this_site_is_followed(rf, target):
    assert safe_next(rf.post("/focus/", {"next": target}), "/fallback/") == target


def test_a_bare_word_next_on_a_note_saves_it_and_goes_back_to_the_note(
    lenient_client, user, first_entry
):
    url = f"/notes/{first_entry.resource.slug}/"
    response = lenient_client.post(url, {"text": "kept", "next": "x"})
    assert response.status_code == 302 and response["Location"] == url
    assert Note.objects.get(user=user).text == "kept"
    page = lenient_client.get(url, {"edit": "1", "next": "x"}).content.decode()
    assert 'name="next" value="x"' not in page


def test_a_bare_word_next_on_a_status_change_goes_to_the_resource(
    lenient_client, user, first_entry
):
    resource = first_entry.resource
    response = lenient_client.post(
        f"/progress/{resource.slug}/status/", {"status": "done", "next": "x"}
    )
    assert response.status_code == 302
    assert response["Location"] == resource.get_absolute_url()
    assert Progress.objects.get(user=user).status == Status.DONE


def test_a_bare_word_next_on_focus_and_its_answer_goes_home(lenient_client, user, first_entry):
    response = lenient_client.post(
        "/focus/", {"resource": first_entry.resource.slug, "next": "home"}
    )
    assert (response.status_code, response["Location"]) == (302, "/")
    response = lenient_client.post("/focus/answer/", {"outcome": "switched", "next": "x"})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert Focus.objects.get(user=user).outcome == "switched"


def test_a_bare_word_next_on_reviews_and_exercises_goes_home(lenient_client, user, first_entry):
    Progress.objects.change(user, first_entry.resource, Status.DONE)
    suggestion = ExerciseSuggestion.objects.get(user=user)
    for url, data in [
        (f"/exercises/{suggestion.pk}/done/", {"next": "x"}),
        (f"/exercises/{suggestion.pk}/done/", {"next": "x"}),  # already done
        (f"/exercises/{suggestion.pk}/dismiss/", {"next": "x"}),
    ]:
        response = lenient_client.post(url, data)
        assert (response.status_code, response["Location"]) == (302, "/"), url
    suggestion.refresh_from_db()
    assert suggestion.done_at is not None and suggestion.dismissed_at is not None


def test_a_next_on_this_site_is_still_followed(user_client, user, first_entry):
    Focus.objects.start(user, first_entry.resource, timezone.localdate())
    response = user_client.post("/focus/answer/", {"outcome": "done", "next": "/roadmap/"})
    assert response["Location"] == "/roadmap/"


@pytest.mark.parametrize("value", ["²", "٣", "9" * 5000, "9" * 25, "-3", "3.0", " 3"])
def test_a_crafted_number_is_no_such_card_or_focus_never_a_500(user_client, value):
    # "²" and "٣" are digits to Python but not to int(); 5,000 digits are more than int()
    # takes; 25 digits are more than a database id holds.
    assert user_client.post("/cards/review/", {"card": value, "rating": "3"}).status_code == 404
    assert user_client.get("/cards/review/", {"card": value}).status_code == 404
    response = user_client.post("/focus/answer/", {"focus": value, "outcome": "done"})
    assert response.status_code == 404


def test_a_row_id_is_ascii_digits_within_a_bigint():
    from mathpath.params import MAX_ID, row_id

    assert row_id("42") == 42 and row_id(7) == 7 and row_id(str(MAX_ID)) == MAX_ID
    for crafted in ["", None, "²", "٣", "-1", "1e3", str(MAX_ID + 1), "9" * 5000]:
        assert row_id(crafted) is None, crafted
