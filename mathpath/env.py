"""Strict parsers for settings read from the environment.

A typo in production configuration should stop the process at start-up, not quietly
turn a protection off, so every parser raises ImproperlyConfigured on a value it does
not understand.
"""

import os
import re

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a boolean; use one of "
        f"{sorted(TRUE_WORDS)} or {sorted(FALSE_WORDS)}."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_str(name: str, default: str) -> str:
    raw = os.environ.get(name, "")
    return raw if raw.strip() else default


HEADER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


def env_header_name(name: str) -> str | None:
    """An HTTP header name such as X-Real-IP, or None when unset."""
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return None
    if not HEADER_NAME.fullmatch(raw):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not an HTTP header name; use letters, digits and hyphens, "
            "e.g. X-Real-IP."
        )
    return raw
