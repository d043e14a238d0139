"""Rendered HTML of the heaviest page parts, kept in the shared "pages" cache.

The roadmap, the dashboard and the catalogue's results render dozens of rich rows, and
that rendering costs more than everything else on those pages together. Their HTML
changes only when something it shows changes, so each part is cached under a key made of
everything it depends on:

- the learner and their `pages_version`, which every change they make moves on
  (`LearnerPagesVersionMiddleware`);
- the catalogue's version, which every change to a resource or domain moves on
  (`catalogue_changed`, called from catalog.signals and the admin's bulk actions);
- for a learner's part, this browser's CSRF secret: the forms inside carry tokens made
  from it;
- the release: a fingerprint of the templates and code that render the HTML;
- whatever else the caller passes (the learner's local date, a query string).

A key is never reused for different content, so nothing is ever deleted: stale versions
simply stop being asked for and expire (the cache's TIMEOUT).
"""

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import get_token

CATALOGUE_VERSION_KEY = "catalogue-version"


def _release_fingerprint() -> str:
    """A hash of the templates, code and static files behind cached HTML.

    The same code gives the same fingerprint on every host; a deploy that changes any of
    it starts with fresh keys instead of serving HTML from the old templates.
    """
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in ("templates", "static", "mathpath", "accounts", "catalog", "assessment"):
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in (".html", ".py", ".css", ".js", ".svg") and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = _release_fingerprint()


def pages_cache():
    return caches["pages"]


def catalogue_changed() -> str:
    """Start a new catalogue version: every cached part showing resources is redrawn.

    A random version rather than a counter, so a cache that lost the key can never hand
    out an old number whose pages are still stored.
    """
    version = secrets.token_hex(8)
    pages_cache().set(CATALOGUE_VERSION_KEY, version, timeout=None)
    return version


def cached_html(request, name: str, render, *parts, learner=True):
    """`render()`'s HTML for this request, from the cache when it was rendered before.

    `learner=True`: a signed-in learner's own part; their id, pages_version and CSRF
    secret join the key. `learner=False`: a public part shared by every visitor, which
    must hold no form (it would carry someone else's CSRF token).
    """
    key_parts = [name, RELEASE, *parts]
    if learner:
        get_token(request)  # this browser needs a CSRF secret before it goes in the key
        user = request.user
        key_parts += [user.pk, user.pages_version, request.META["CSRF_COOKIE"]]
    key = "page:" + hashlib.sha256("\x1f".join(map(str, key_parts)).encode()).hexdigest()
    cache = pages_cache()
    # One round trip: the part is stored with the catalogue version it was drawn from.
    found = cache.get_many([key, CATALOGUE_VERSION_KEY])
    version = found.get(CATALOGUE_VERSION_KEY) or catalogue_changed()
    drawn_from, html = found.get(key, (None, None))
    if drawn_from != version:
        html = render()
        cache.set(key, (version, html))
    return html
