"""The review calendar, parsed back with icalendar."""

import datetime as dt

from icalendar import Calendar

from progress.ical import CardsDayItem, FocusItem, build_calendar

STAMP = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def events(ics):
    return [c for c in Calendar.from_ical(ics).walk("VEVENT")]


def test_each_day_with_cards_is_an_all_day_event_with_the_count_and_the_session():
    ics = build_calendar([
        CardsDayItem(dt.date(2026, 3, 13), 1, STAMP, "https://x/cards/review/"),
        CardsDayItem(dt.date(2026, 3, 11), 6, STAMP, "https://x/cards/review/"),
    ])
    found = events(ics)
    assert [str(e["uid"]) for e in found] == ["cards-20260311@mathpath", "cards-20260313@mathpath"]
    first = found[0]
    assert first.decoded("dtstart") == dt.date(2026, 3, 11)
    assert first.decoded("dtend") == dt.date(2026, 3, 12)
    assert str(first["summary"]) == "Review 6 cards"
    assert str(found[1]["summary"]) == "Review 1 card"
    assert str(found[1]["url"]) == "https://x/cards/review/"


def test_the_focus_end_is_an_event_too():
    ics = build_calendar([], FocusItem(3, "Khan Academy, linear algebra; part 1",
                                       dt.date(2026, 3, 24), STAMP))
    (event,) = events(ics)
    assert str(event["uid"]) == "focus-3@mathpath"
    assert str(event["summary"]) == "Focus ends: Khan Academy, linear algebra; part 1"
    assert event.decoded("dtstart") == dt.date(2026, 3, 24)


def test_the_same_data_gives_the_same_bytes():
    items = [CardsDayItem(dt.date(2026, 3, 11), 2, STAMP)]
    assert build_calendar(items) == build_calendar(items)


def test_the_calendar_names_itself_and_is_valid_icalendar():
    calendar = Calendar.from_ical(build_calendar([]))
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["x-wr-calname"]) == "MathPath reviews"
    assert calendar.walk("VEVENT") == []
