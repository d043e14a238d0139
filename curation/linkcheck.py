"""The link checker: fetch one URL politely and say what became of it.

A plain module with no database: `check_url(url, client)` returns a `LinkResult` that the
LinkCheck model stores. HEAD first (cheap for the sites we visit); GET when HEAD is refused
or fails, and when HEAD was redirected, because a page that used to be the content and now
redirects to a log-in or pricing page is only recognisable by where it lands.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from django.conf import settings


class Verdict:
    OK = "ok"
    REDIRECTED = "redirected"
    MOVED = "moved-permanently"
    GONE = "gone"
    ERROR = "error"
    PAYWALLED = "looks-paywalled"

    CHOICES = [
        (OK, "OK"),
        (REDIRECTED, "Redirected"),
        (MOVED, "Moved permanently"),
        (GONE, "Gone"),
        (ERROR, "Error"),
        (PAYWALLED, "Looks paywalled"),
    ]


PERMANENT_REDIRECTS = {301, 308}
GONE_STATUSES = {404, 410}
# A log-in, sign-up or pricing page where the content used to be: in the landing URL's path
# or the landing page's title.
PAYWALL_WORDS = re.compile(
    r"\b(log[ -]?in|sign[ -]?in|sign[ -]?up|pricing|plans?|subscribe|subscription|paywall|"
    r"checkout|upgrade)\b",
    re.IGNORECASE,
)
TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
# Enough of a page to find its title, never the whole of a large download.
BODY_LIMIT = 64 * 1024


@dataclass
class LinkResult:
    verdict: str
    status_code: int | None = None
    final_url: str = ""
    method: str = "HEAD"
    # Every hop before the final answer: [{"status": 301, "url": "https://..."}, ...].
    redirects: list = field(default_factory=list)
    error: str = ""


def make_client() -> httpx.Client:
    """The one client every check uses: clear User-Agent, redirects followed, a timeout."""
    return httpx.Client(
        follow_redirects=True,
        timeout=settings.LINK_CHECK_TIMEOUT,
        headers={"User-Agent": settings.LINK_CHECK_USER_AGENT},
        max_redirects=10,
    )


def _fetch(client, method, url):
    """(response, first part of the body) for one request, reading at most BODY_LIMIT."""
    with client.stream(method, url) as response:
        body = b""
        if method == "GET":
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) >= BODY_LIMIT:
                    break
        return response, body[:BODY_LIMIT].decode(response.encoding or "utf-8", "replace")


def _looks_paywalled(final_url: str, body: str) -> bool:
    path = urlsplit(final_url).path.replace("/", " ").replace("-", " ")
    title = TITLE.search(body)
    return bool(PAYWALL_WORDS.search(path) or (title and PAYWALL_WORDS.search(title.group(1))))


def verdict_for(status: int, redirects: list, final_url: str, body: str) -> str:
    if status in GONE_STATUSES:
        return Verdict.GONE
    if status >= 400:
        return Verdict.ERROR
    if redirects and _looks_paywalled(final_url, body):
        return Verdict.PAYWALLED
    if any(hop["status"] in PERMANENT_REDIRECTS for hop in redirects):
        return Verdict.MOVED
    if redirects:
        return Verdict.REDIRECTED
    return Verdict.OK


def check_url(url: str, client: httpx.Client) -> LinkResult:
    """What `url` answers now, after redirects; never raises for a network failure."""
    method = "HEAD"
    try:
        response, body = _fetch(client, "HEAD", url)
        # Some servers refuse or mishandle HEAD; a redirect needs the landing page's title.
        if response.status_code >= 400 or response.history:
            method = "GET"
            response, body = _fetch(client, "GET", url)
    except httpx.TimeoutException:
        return LinkResult(Verdict.ERROR, method=method, error="No answer within the time limit.")
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as error:
        reason = f"{type(error).__name__}: {error}"[:500]
        return LinkResult(Verdict.ERROR, method=method, error=reason)
    redirects = [{"status": hop.status_code, "url": str(hop.url)} for hop in response.history]
    final_url = str(response.url)
    return LinkResult(
        verdict=verdict_for(response.status_code, redirects, final_url, body),
        status_code=response.status_code,
        final_url=final_url,
        method=method,
        redirects=redirects,
    )
