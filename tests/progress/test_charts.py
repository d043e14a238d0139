"""Server-rendered SVG charts: well-formed, escaped, described."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from assessment import charts
from assessment.charts import Series

SVG = "{http://www.w3.org/2000/svg}"
SERIES = [
    Series("linear_algebra", "Linear algebra"),
    Series("calculus", "Calculus"),
    Series("probability_statistics", "Probability & statistics"),
    Series("programming", "Programming mathematics"),
]


def ratings(la, ca, ps, pr):
    return {"linear_algebra": la, "calculus": ca, "probability_statistics": ps, "programming": pr}


def parse(svg):
    # Our own output, not untrusted input.
    return ET.fromstring(str(svg))  # noqa: S314


def test_the_ratings_chart_draws_one_line_per_area_with_a_point_per_assessment():
    svg = charts.ratings_chart(
        [("2026-01-05", ratings(2, 4, 3, 3)), ("2026-02-05", ratings(4, 2, 3, 4))], SERIES
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Self-ratings across assessments"
    assert "4 areas across 2 assessments" in root.find(f"{SVG}desc").text
    assert len(root.findall(f".//{SVG}polyline")) == 4
    points = points_of(root)
    assert len(points) == 8
    titles = [c.find(f"{SVG}title").text for c in points]
    assert "Linear algebra, 2026-02-05: 4 of 5" in titles
    # Each area its own marker shape, the legend showing it too.
    assert len({p.get("d")[-1:] + p.get("d").count("l").__str__() for p in points}) >= 3


def points_of(root):
    return [p for p in root.iter(f"{SVG}path") if p.get("class") == "chart-point"]


def test_equal_ratings_stand_side_by_side_not_on_top_of_each_other():
    root = parse(charts.ratings_chart(
        [("2026-01", ratings(3, 3, 2, 5)), ("2026-12", ratings(3, 3, 3, 3))], SERIES
    ))
    centres = [(p.get("data-cx"), p.get("data-cy")) for p in points_of(root)]
    assert len(set(centres)) == len(centres) == 8


def test_the_first_and_last_dates_are_inside_the_chart():
    root = parse(charts.ratings_chart(
        [("2026-01", ratings(1, 2, 3, 4)), ("2026-12", ratings(2, 3, 4, 5))], SERIES
    ))
    width = int(root.get("viewBox").split()[2])
    dates = [t for t in root.iter(f"{SVG}text") if t.text in {"2026-01", "2026-12"}]
    for text in dates:
        half = 7 * 3.5  # seven characters at 12 px, centred on x
        assert half <= float(text.get("x")) <= width - half


def test_with_one_assessment_the_chart_is_a_bar_per_area():
    root = parse(charts.ratings_chart([("2026-12-01", ratings(1, 2, 3, 4))], SERIES))
    assert root.find(f"{SVG}title").text == "Self-ratings in your assessment"
    bars = [r.find(f"{SVG}title").text for r in root.iter(f"{SVG}rect")]
    assert bars == ["Linear algebra: 1 of 5", "Calculus: 2 of 5",
                    "Probability & statistics: 3 of 5", "Programming mathematics: 4 of 5"]
    assert not root.findall(f".//{SVG}polyline")


def test_ratings_are_placed_on_a_one_to_five_axis():
    root = parse(charts.ratings_chart([("a", ratings(1, 5, 3, 3)), ("b", ratings(1, 5, 3, 3))],
                                      SERIES))
    axis = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert axis == ["1", "2", "3", "4", "5"]
    ys = {c.find(f"{SVG}title").text.split(",")[0]: float(c.get("data-cy"))
          for c in points_of(root)}
    assert ys["Linear algebra"] > ys["Probability & statistics"] > ys["Calculus"]


def test_out_of_range_ratings_are_clamped_and_text_is_escaped():
    svg = str(charts.ratings_chart(
        [("<script>x</script>", ratings(9, 0, 3, 3))], [Series("linear_algebra", "<b>LA</b>")]
    ))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
    assert "9 of 5" not in svg and "5 of 5" in svg
    parse(svg)


def test_no_assessments_means_no_chart():
    assert charts.ratings_chart([], SERIES) == ""


def test_the_legend_names_every_area():
    root = parse(charts.ratings_chart([("a", ratings(1, 2, 3, 4)), ("b", ratings(1, 2, 3, 4))],
                                      SERIES))
    legend = [g.find(f"{SVG}text").text for g in root.iter(f"{SVG}g")
              if g.get("class") == "chart-legend-item"]
    assert legend == [s.label for s in SERIES]


END = dt.date(2026, 3, 11)  # a Wednesday


def test_the_heatmap_has_a_titled_square_per_day_up_to_today():
    counts = {dt.date(2026, 3, 9): 3, dt.date(2026, 3, 11): 1}
    root = parse(charts.activity_heatmap(counts, END, weeks=4))
    squares = list(root.iter(f"{SVG}rect"))
    assert len(squares) == 3 * 7 + 3  # three whole weeks and Monday to Wednesday
    titles = [r.find(f"{SVG}title").text for r in squares]
    assert titles[0] == "2026-02-16: 0 changes"
    assert "2026-03-09: 3 changes" in titles
    assert titles[-1] == "2026-03-11: 1 change"
    assert "4 progress changes on 2 days" in root.find(f"{SVG}desc").text


@pytest.mark.parametrize(
    ("count", "busiest", "level"),
    [(0, 5, 0), (1, 1, 1), (1, 8, 1), (3, 8, 2), (8, 8, 4), (5, 4, 4), (2, 0, 0)],
)
def test_heat_levels_scale_with_the_busiest_day(count, busiest, level):
    assert charts.heat_level(count, busiest) == level


def test_weekly_totals_are_the_heatmaps_text_alternative():
    counts = {dt.date(2026, 3, 2): 2, dt.date(2026, 3, 8): 1, dt.date(2026, 3, 10): 4}
    assert charts.weekly_totals(counts, END, weeks=2) == [
        (dt.date(2026, 3, 2), 3), (dt.date(2026, 3, 9), 4),
    ]
