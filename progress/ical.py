"""The learner's review calendar as an iCalendar (.ics) feed, built from plain data.

One all-day event per day with cards to review (how many, and a link to the card session)
and one on the day the current focus ends. UIDs are derived from the day and the database
ids, so a calendar app that refreshes the feed updates the same events instead of adding
copies; DTSTAMP is the time the rows last changed, not "now", so the same data always gives
the same bytes.
"""

import datetime as dt
from dataclasses import dataclass

from icalendar import Calendar, Event

PRODUCT_ID = "-//MathPath//Review calendar//EN"
CALENDAR_NAME = "MathPath reviews"
UID_DOMAIN = "mathpath"


@dataclass(frozen=True)
class CardsDayItem:
    day: dt.date
    count: int
    stamp: dt.datetime
    url: str = ""


@dataclass(frozen=True)
class FocusItem:
    id: int
    resource_title: str
    ends_on: dt.date
    stamp: dt.datetime
    url: str = ""


def _all_day_event(uid, summary, day, stamp, description, url):
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("transp", "TRANSPARENT")
    event.add("description", description)
    if url:
        event.add("url", url)
    return event


def cards_uid(day):
    return f"cards-{day:%Y%m%d}@{UID_DOMAIN}"


def focus_uid(focus_id):
    return f"focus-{focus_id}@{UID_DOMAIN}"


def build_calendar(days, focus=None):
    """The .ics bytes for `days` (CardsDayItems) and an optional FocusItem."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    for item in sorted(days, key=lambda item: item.day):
        cards = f"{item.count} card{'s' if item.count != 1 else ''}"
        calendar.add_component(
            _all_day_event(
                cards_uid(item.day),
                f"Review {cards}",
                item.day,
                item.stamp,
                f"{cards} to recall today: open the card session, show each answer and rate "
                f"how well it came back. {item.url}".strip(),
                item.url,
            )
        )
    if focus is not None:
        calendar.add_component(
            _all_day_event(
                focus_uid(focus.id),
                f"Focus ends: {focus.resource_title}",
                focus.ends_on,
                focus.stamp,
                "Your two weeks of focus end today: done, extend a week, or switch?",
                focus.url,
            )
        )
    return calendar.to_ical()
