"""htmx answers to a refused action: the server's own message, shown next to the control.

A refused htmx action (any 4xx) answers with one small fragment, `_htmx_error.html`, that
the site's script puts beside the control which sent it; the rest of the page, and what
the learner typed, stay as they were. A view that redraws its own part with the error in
it (the note form, keeping the text) says so with HX-Retarget or HX-Reswap, and htmx
swaps that part instead. The same happens with DEBUG on or off.
"""

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string

# What each refusal says when its view gave no words of its own.
DEFAULT_MESSAGES = {
    400: "That request could not be read, so nothing was changed. Check what you entered.",
    403: "You cannot do that here, so nothing was changed.",
    404: "That is no longer here: it may have been removed or renamed.",
    405: "That action is not available here.",
    413: "That was too large to send, so nothing was changed.",
    429: "Too many requests in a short time: wait a minute and try again.",
}
FALLBACK_MESSAGE = "That did not work, so nothing was changed."


def message_for_status(status: int) -> str:
    return DEFAULT_MESSAGES.get(status, FALLBACK_MESSAGE)


def error_fragment(message: str, status: int) -> HttpResponse:
    """The fragment a refused htmx action answers with."""
    html = render_to_string("_htmx_error.html", {"message": message or message_for_status(status)})
    response = HttpResponse(html, status=status)
    response.htmx_error = True
    return response


def server_chose_the_swap(response: HttpResponse) -> bool:
    """A view redrew its own part, error included, and named where it goes."""
    return response.has_header("HX-Retarget") or response.has_header("HX-Reswap")


class HtmxErrorMiddleware:
    """Turn every htmx 4xx into the error fragment, whatever raised or answered it.

    Without this, an Http404 raised in a view would be Django's technical 404 page under
    DEBUG and the site's full 404 page without it; neither belongs inside a page.
    """

    EXCEPTION_STATUS = (
        (Http404, 404),
        (PermissionDenied, 403),
        (BadRequest, 400),
        (SuspiciousOperation, 400),
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _is_htmx(request) or not 400 <= response.status_code < 500:
            return response
        if getattr(response, "htmx_error", False) or server_chose_the_swap(response):
            return response
        if response.has_header("HX-Redirect") or response.has_header("HX-Location"):
            return response
        fragment = error_fragment(_plain_text(response), response.status_code)
        for header in ("Retry-After", "Allow"):
            if response.has_header(header):
                fragment[header] = response[header]
        return fragment

    def process_exception(self, request, exception):
        if not _is_htmx(request):
            return None
        for kind, status in self.EXCEPTION_STATUS:
            if isinstance(exception, kind):
                # Only Http404 carries words meant for the visitor; the others may name code.
                words = str(exception) if kind is Http404 and exception.args else ""
                return error_fragment(words, status)
        return None


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _plain_text(response: HttpResponse) -> str:
    """A plain-text answer's own words; an HTML page's are not a sentence to show."""
    if response.get("Content-Type", "").startswith("text/plain") and not response.streaming:
        return response.content.decode(response.charset or "utf-8").strip()
    return ""
