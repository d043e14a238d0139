"""A refused htmx action answers with its own message, to be shown next to the control.

The page around the control, and what the learner typed, stay: the answer is one small
fragment (or, for the note form, the form itself with the error and the text kept), the
same with DEBUG on and off. tests/e2e/test_htmx_errors.py watches it happen in Chromium.
"""

import pytest
from django.urls import reverse

from progress import notes
from tests.assessment.factories import ResourceFactory

HTMX = {"HX-Request": "true"}
DEBUG_ON_AND_OFF = pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])


def only_the_message(response, words):
    body = response.content.decode()
    assert body.strip().startswith('<p class="htmx-error" role="alert">'), body[:300]
    assert words in body
    assert "<html" not in body and "Traceback" not in body


@DEBUG_ON_AND_OFF
def test_a_status_change_on_an_unpublished_resource_says_so_in_place(user_client, settings, debug):
    settings.DEBUG = debug
    ResourceFactory(slug="gone", published=False)
    response = user_client.post(
        reverse("progress:set_status", args=["gone"]), {"status": "done"}, headers=HTMX
    )
    assert response.status_code == 404
    only_the_message(response, "That resource is not in the catalogue")


@DEBUG_ON_AND_OFF
def test_a_raised_404_is_the_same_fragment_not_djangos_debug_page(user_client, settings, debug):
    settings.DEBUG = debug
    response = user_client.get(reverse("progress:note", args=["no-such-thing"]), headers=HTMX)
    assert response.status_code == 404
    only_the_message(response, "There is no resource with that address in the catalogue.")


@DEBUG_ON_AND_OFF
def test_a_too_long_note_comes_back_as_the_form_with_the_text_kept(
    user_client, user, settings, debug
):
    settings.DEBUG = debug
    resource = ResourceFactory(slug="khan")
    text = "x" * (notes.MAX_NOTE_LENGTH + 1)
    url = reverse("progress:note", args=["khan"])
    response = user_client.post(url, {"text": text}, headers=HTMX)
    assert response.status_code == 400
    assert response["HX-Reswap"] == "outerHTML"
    body = response.content.decode()
    assert f"Keep the note under {notes.MAX_NOTE_LENGTH:,} characters." in body
    assert text in body
    assert not user.notes.filter(resource=resource).exists()


def test_a_wrong_choice_is_a_400_fragment_with_the_views_words(user_client, db):
    ResourceFactory(slug="khan")
    response = user_client.post(
        reverse("progress:set_status", args=["khan"]), {"status": "maybe"}, headers=HTMX
    )
    assert response.status_code == 400
    only_the_message(response, "That status does not exist")


def test_a_stale_csrf_token_says_to_reload_in_place(user, db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    ResourceFactory(slug="khan")
    response = client.post(
        reverse("progress:set_status", args=["khan"]), {"status": "done"}, headers=HTMX
    )
    assert response.status_code == 403
    only_the_message(response, "This page is out of date")


def test_without_htmx_the_full_pages_are_unchanged(user_client, db):
    ResourceFactory(slug="gone", published=False)
    response = user_client.post(reverse("progress:set_status", args=["gone"]), {"status": "done"})
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()


def test_under_debug_the_page_leaves_out_django_htmxs_page_replacing_handler(
    user_client, settings, db
):
    settings.DEBUG = True
    body = user_client.get(reverse("catalog:list")).content.decode()
    assert "htmx-2.min.js" in body
    assert "django-htmx.js" not in body
    assert "js/site.js" in body
