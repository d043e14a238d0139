"""Small server-rendered SVG charts for the dashboard, with no chart library.

Every piece of markup is built with `format_html`, so any text that reaches a chart (labels,
dates) is escaped, and the numbers are coerced to int or float first. Colours are SVG
presentation attributes (CSP forbids inline style attributes); the classes let the site's
stylesheet adjust them, for instance in dark mode. Each chart carries <title> and <desc>,
and the page shows a table with the same numbers as its text alternative.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join

# Colour-blind-safe (Okabe-Ito) colours, one per series; the dash patterns tell the lines
# apart without colour as well.
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
SERIES_DASHES = ("", "6 3", "2 3", "8 3 2 3")
HEAT_COLOURS = ("#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39")


def _join(parts):
    return format_html_join("", "{}", ((part,) for part in parts))


def _num(value):
    """A number formatted for an SVG attribute: at most one decimal, no trailing zero."""
    return f"{float(value):.1f}".rstrip("0").rstrip(".")


# --- Ratings across assessments ------------------------------------------------------------

RATING_MIN, RATING_MAX = 1, 5
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 72
# Room inside the plot at each end, so the first and last dates are never cut off.
X_PADDING = 36
# Points of equal rating at one assessment sit side by side, this far apart.
TIE_OFFSET = 9


def _marker(n, x, y):
    """Series n's point shape (circle, square, triangle, diamond) centred on x, y, as a path."""
    shape = n % 4
    if shape == 0:
        return f"M{_num(x - 4.5)},{_num(y)}a4.5,4.5 0 1,0 9,0a4.5,4.5 0 1,0 -9,0Z"
    if shape == 1:
        return f"M{_num(x - 4)},{_num(y - 4)}h8v8h-8Z"
    if shape == 2:
        return f"M{_num(x)},{_num(y - 5)}l5,9h-10Z"
    return f"M{_num(x)},{_num(y - 5.5)}l5.5,5.5l-5.5,5.5l-5.5,-5.5Z"


@dataclass(frozen=True)
class Series:
    key: str
    label: str


def _rating(value):
    return max(RATING_MIN, min(RATING_MAX, int(value)))


def _legend_item(n, one):
    """Two legend entries per row under the plot: a line sample, then the area's name."""
    x = LEFT + 290 * (n % 2)
    y = HEIGHT - 40 + 20 * (n // 2)
    dash = SERIES_DASHES[n % len(SERIES_DASHES)]
    colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
    return format_html(
        '<g class="chart-legend-item"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" '
        'stroke-width="2.5"{}/><path d="{}" fill="{}"/><text x="{}" y="{}" font-size="12" '
        'fill="currentColor">{}</text></g>',
        x, y, x + 22, y, colour,
        format_html(' stroke-dasharray="{}"', dash) if dash else "",
        _marker(n, x + 11, y), colour, x + 28, y + 4, one.label,
    )


def ratings_chart(points, series, *, chart_id="ratings-chart"):
    """A line chart of self-ratings (1 to 5) across assessments, oldest on the left.

    `points` is a list of (label, {series key: rating}) in time order; `series` a list of
    Series. Returns safe SVG markup, or an empty string when there is nothing to draw.
    """
    if not points:
        return ""
    if len(points) == 1:
        return current_ratings_chart(points[0], series, chart_id=chart_id)
    plot_w = WIDTH - LEFT - RIGHT - 2 * X_PADDING
    plot_h = HEIGHT - TOP - BOTTOM

    def x_at(index):
        return LEFT + X_PADDING + plot_w * index / (len(points) - 1)

    # Series that share a rating at one assessment: each gets its own slot around the x.
    ties = {}
    for i, (_, values) in enumerate(points):
        for n, one in enumerate(series):
            if values.get(one.key) is not None:
                ties.setdefault((i, _rating(values[one.key])), []).append(n)

    def x_of(index, rating, n):
        shared = ties[(index, rating)]
        return x_at(index) + TIE_OFFSET * (shared.index(n) - (len(shared) - 1) / 2)

    def y_at(rating):
        return TOP + plot_h * (RATING_MAX - rating) / (RATING_MAX - RATING_MIN)

    grid = _join(
        format_html(
            '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#c8ccd0" '
            'stroke-width="1"/><text class="chart-axis" x="{}" y="{}" text-anchor="end" '
            'font-size="12" fill="currentColor">{}</text>',
            LEFT, _num(y_at(level)), WIDTH - RIGHT, _num(y_at(level)),
            LEFT - 8, _num(y_at(level) + 4), level,
        )
        for level in range(RATING_MIN, RATING_MAX + 1)
    )
    x_labels = _join(
        format_html(
            '<text class="chart-axis" x="{}" y="{}" text-anchor="middle" font-size="12" '
            'fill="currentColor">{}</text>',
            _num(x_at(i)), HEIGHT - BOTTOM + 18, label,
        )
        for i, (label, _) in enumerate(points)
    )
    lines = []
    for n, one in enumerate(series):
        colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        dash = SERIES_DASHES[n % len(SERIES_DASHES)]
        coords = [
            (x_of(i, _rating(values[one.key]), n), y_at(_rating(values[one.key])), label,
             _rating(values[one.key]))
            for i, (label, values) in enumerate(points)
            if values.get(one.key) is not None
        ]
        if not coords:
            continue
        path = " ".join(f"{_num(x)},{_num(y)}" for x, y, _, _ in coords)
        dots = _join(
            format_html(
                '<path class="chart-point" d="{}" fill="{}" data-cx="{}" data-cy="{}"><title>{}, '
                "{}: {} of 5</title></path>",
                _marker(n, x, y), colour, _num(x), _num(y), one.label, label, rating,
            )
            for x, y, label, rating in coords
        )
        lines.append(
            format_html(
                '<g class="chart-series chart-series-{}"><polyline points="{}" fill="none" '
                'stroke="{}" stroke-width="2.5"{}/>{}</g>',
                n + 1, path, colour,
                format_html(' stroke-dasharray="{}"', dash) if dash else "",
                dots,
            )
        )
    legend = _join(_legend_item(n, one) for n, one in enumerate(series))
    first, last = points[0][0], points[-1][0]
    desc = (
        f"Your self-ratings from 1 to 5 in {len(series)} areas across "
        f"{len(points)} assessment{'s' if len(points) != 1 else ''}, from {first} to {last}. "
        "The table below lists the same numbers."
    )
    return format_html(
        '<svg class="chart chart-ratings" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">Self-ratings across assessments</title>'
        '<desc id="{}-desc">{}</desc>{}{}{}{}</svg>',
        WIDTH, HEIGHT, chart_id, chart_id, chart_id, chart_id, desc,
        grid, x_labels, _join(lines), legend,
    )


BAR_LABEL_W, BAR_W, BAR_ROW = 200, 320, 30


def current_ratings_chart(point, series, *, chart_id="ratings-chart"):
    """With one assessment there is no line to draw: a bar per area of its ratings."""
    label, values = point
    rows = [(one, _rating(values[one.key])) for one in series if values.get(one.key) is not None]
    height = TOP + BAR_ROW * len(rows) + 8
    bars = _join(
        format_html(
            '<g class="chart-bar"><text x="{}" y="{}" text-anchor="end" font-size="13" '
            'fill="currentColor">{}</text><rect x="{}" y="{}" width="{}" height="18" rx="3" '
            'fill="{}"><title>{}: {} of 5</title></rect><text x="{}" y="{}" font-size="13" '
            'fill="currentColor">{} of 5</text></g>',
            BAR_LABEL_W - 10, TOP + BAR_ROW * n + 13, one.label,
            BAR_LABEL_W, TOP + BAR_ROW * n, _num(BAR_W * rating / RATING_MAX),
            SERIES_COLOURS[n % len(SERIES_COLOURS)], one.label, rating,
            _num(BAR_LABEL_W + BAR_W * rating / RATING_MAX + 8), TOP + BAR_ROW * n + 13, rating,
        )
        for n, (one, rating) in enumerate(rows)
    )
    desc = (
        f"Your self-ratings from 1 to 5 in {len(rows)} areas in your assessment of {label}. "
        "The table below lists the same numbers."
    )
    return format_html(
        '<svg class="chart chart-ratings chart-current" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">Self-ratings in your assessment</title>'
        '<desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH, height, chart_id, chart_id, chart_id, chart_id, desc, bars,
    )


# --- Activity heatmap ----------------------------------------------------------------------

CELL, GAP = 12, 3
HEAT_LEFT, HEAT_TOP = 30, 18
WEEKDAY_LABELS = ((0, "Mon"), (2, "Wed"), (4, "Fri"))


def heat_level(count, busiest):
    """0 for no activity, else 1 to 4 by quarter of the busiest day."""
    if count <= 0 or busiest <= 0:
        return 0
    return min(4, 1 + (4 * (count - 1)) // max(1, busiest))


def heatmap_days(end, weeks):
    """The dates shown: whole Monday-to-Sunday weeks, the last one containing `end`."""
    last_monday = end - dt.timedelta(days=end.weekday())
    first = last_monday - dt.timedelta(weeks=weeks - 1)
    days = (first + dt.timedelta(days=n) for n in range(weeks * 7))
    return [day for day in days if day <= end]


def weekly_totals(counts, end, weeks):
    """[(monday, total)] per week shown, for the heatmap's text alternative."""
    totals = {}
    for day in heatmap_days(end, weeks):
        monday = day - dt.timedelta(days=day.weekday())
        totals[monday] = totals.get(monday, 0) + int(counts.get(day, 0))
    return list(totals.items())


def activity_heatmap(counts, end, weeks=12, *, chart_id="activity-heatmap"):
    """A calendar heatmap of `counts` ({date: number of changes}) for the last `weeks` weeks.

    Columns are weeks (oldest left), rows weekdays (Monday on top); each square has a
    <title> with its date and count, so it reads without colour too.
    """
    days = heatmap_days(end, weeks)
    busiest = max((int(counts.get(day, 0)) for day in days), default=0)
    first = days[0]
    squares = []
    for day in days:
        count = int(counts.get(day, 0))
        level = heat_level(count, busiest)
        column = (day - first).days // 7
        squares.append(
            format_html(
                '<rect class="heat heat-{}" x="{}" y="{}" width="{}" height="{}" rx="2" '
                'fill="{}"><title>{}: {} change{}</title></rect>',
                level, HEAT_LEFT + column * (CELL + GAP), HEAT_TOP + day.weekday() * (CELL + GAP),
                CELL, CELL, HEAT_COLOURS[level], day.isoformat(), count,
                "" if count == 1 else "s",
            )
        )
    labels = _join(
        format_html(
            '<text class="chart-axis" x="0" y="{}" font-size="10" fill="currentColor">{}</text>',
            HEAT_TOP + row * (CELL + GAP) + CELL - 2, name,
        )
        for row, name in WEEKDAY_LABELS
    )
    width = HEAT_LEFT + weeks * (CELL + GAP)
    height = HEAT_TOP + 7 * (CELL + GAP)
    total = sum(int(counts.get(day, 0)) for day in days)
    active = sum(1 for day in days if int(counts.get(day, 0)) > 0)
    desc = (
        f"{total} progress change{'s' if total != 1 else ''} on {active} "
        f"day{'s' if active != 1 else ''} between {first.isoformat()} and {end.isoformat()}. "
        "The table below lists the totals per week."
    )
    return format_html(
        '<svg class="chart chart-heatmap" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">Activity in the last {} weeks</title>'
        '<desc id="{}-desc">{}</desc>{}{}</svg>',
        width, height, chart_id, chart_id, chart_id, weeks, chart_id, desc,
        labels, _join(squares),
    )


# --- Weekly study hours ---------------------------------------------------------------------

BAR_WIDTH, BAR_GAP = 36, 12
HOURS_LEFT, HOURS_TOP, HOURS_HEIGHT, HOURS_BOTTOM = 36, 12, 140, 28


def weekly_hours_chart(weeks, goal_hours, *, chart_id="study-hours-chart"):
    """Bars of hours logged per week (oldest left) with the weekly goal as a dashed line.

    `weeks` is a list of objects with `monday` (a date) and `minutes`; each bar has a
    <title> with its week and hours, and the page shows the same numbers as a table.
    """
    top_hours = max([week.minutes / 60 for week in weeks] + [float(goal_hours), 1.0])

    def y_at(hours):
        return HOURS_TOP + HOURS_HEIGHT * (1 - hours / top_hours)

    bars = []
    for n, week in enumerate(weeks):
        hours = week.minutes / 60
        x = HOURS_LEFT + n * (BAR_WIDTH + BAR_GAP)
        bars.append(format_html(
            '<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{}">'
            "<title>Week of {}: {} h</title></rect>"
            '<text class="chart-axis" x="{}" y="{}" font-size="10" fill="currentColor" '
            'text-anchor="middle">{}</text>',
            x, _num(y_at(hours)), BAR_WIDTH, _num(HOURS_HEIGHT * hours / top_hours),
            SERIES_COLOURS[0], week.monday.isoformat(), _num(hours),
            x + BAR_WIDTH // 2, HOURS_TOP + HOURS_HEIGHT + 16, f"{week.monday:%-d %b}",
        ))
    width = HOURS_LEFT + len(weeks) * (BAR_WIDTH + BAR_GAP)
    goal_y = _num(y_at(float(goal_hours)))
    goal = format_html(
        '<line class="goal" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
        'stroke-dasharray="6 3"/><text class="chart-axis" x="0" y="{}" font-size="10" '
        'fill="currentColor">{} h</text>',
        HOURS_LEFT - 4, goal_y, width, goal_y, SERIES_COLOURS[1], goal_y, _num(goal_hours),
    )
    total = sum(week.minutes for week in weeks) / 60
    desc = (f"{_num(total)} hours logged in the last {len(weeks)} weeks against a goal of "
            f"{_num(goal_hours)} hours a week. The table below lists each week.")
    return format_html(
        '<svg class="chart chart-hours" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">Hours studied per week</title>'
        '<desc id="{}-desc">{}</desc>{}{}</svg>',
        width, HOURS_TOP + HOURS_HEIGHT + HOURS_BOTTOM, chart_id, chart_id, chart_id,
        chart_id, desc, _join(bars), goal,
    )
