"""Time zones a learner can choose: the canonical ones, by region, with their offset now.

The IANA database also holds ~250 old aliases (W-SU, Zulu, Etc/GMT+1, which means UTC-1);
zone1970.tab lists one canonical zone per region of the world, and ships with tzdata.
"""

import datetime as dt
import zoneinfo
from functools import cache
from importlib import resources

DEFAULT_ZONE = "UTC"


@cache
def canonical_zones() -> tuple[str, ...]:
    table = resources.files("tzdata.zoneinfo").joinpath("zone1970.tab").read_text()
    rows = (line.split("\t") for line in table.splitlines() if line and line[0] != "#")
    return tuple(sorted({row[2] for row in rows}))


def offset_label(zone: str, moment: dt.datetime) -> str:
    offset = moment.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "\N{MINUS SIGN}"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


@cache
def _choices_on(day: dt.date) -> list:
    moment = dt.datetime.combine(day, dt.time(12), dt.UTC)
    groups: dict[str, list[tuple[str, str]]] = {}
    for zone in canonical_zones():
        region, _, place = zone.partition("/")
        city = place.replace("_", " ").replace("/", " · ")
        groups.setdefault(region, []).append((zone, f"{city} ({offset_label(zone, moment)})"))
    return [(DEFAULT_ZONE, "UTC (UTC+00:00)"), *sorted(groups.items())]


def grouped_choices(extra: str | None = None) -> list:
    """Select choices: UTC, then each region's zones labelled with today's offset.

    `extra` is a zone saved before the list was canonical (an alias such as Asia/Calcutta):
    it stays selectable so that saving the profile does not change it unasked.
    """
    choices = list(_choices_on(dt.date.today()))
    saved_alias = extra and extra not in canonical_zones() and extra != DEFAULT_ZONE
    if saved_alias and is_known(extra):
        choices.append(("Other", [(extra, extra.replace("_", " "))]))
    return choices


def is_known(zone: str) -> bool:
    return zone in zoneinfo.available_timezones()
