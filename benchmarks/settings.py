"""The site's own settings plus the two baseline pages the load benchmark compares with.

Used only by benchmarks/load.py (DJANGO_SETTINGS_MODULE=benchmarks.settings); the site's
URLs never contain the baseline routes.
"""

from mathpath.settings import *  # noqa: F403
from mathpath.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "benchmarks.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "benchmarks" / "templates"]
