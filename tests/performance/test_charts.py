"""The server-drawn SVG charts: text alternatives in words, gaps, escaping, and no inline styles or scripts."""

import re
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import pytest
from django.utils.safestring import SafeString

from performance import charts

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup):
    """The SVG as XML: it must be well formed whatever went into it."""
    return ElementTree.fromstring(str(markup))


def label_of(markup):
    return parsed(markup).get("aria-label")


@pytest.mark.parametrize(
    "values, polarity, expected",
    [
        ([24, 25, 26, 27], "higher", "Trend over 12 months: 24.0% to 27.0%, better"),
        ([24, 25, 26, 27], "lower", "Trend over 12 months: 24.0% to 27.0%, worse"),
        ([27, 25, 24], "lower", "Trend over 12 months: 27.0% to 24.0%, better"),
        ([27, 30, Decimal("27.04")], "higher", "Trend over 12 months: 27.0% to 27.0%, no change"),
        ([None, None], "higher", "Trend over 12 months: no figures"),
        ([], "higher", "Trend over 12 months: no figures"),
        ([None, 27, None], "higher", "Trend over 12 months: one figure, 27.0% (2 of 3 periods with no figure)"),
        ([24, None, 27], "higher", "Trend over 12 months: 24.0% to 27.0%, better (1 of 3 periods with no figure)"),
    ],
)
def test_the_sparkline_says_in_words_where_it_starts_and_ends(values, polarity, expected):
    markup = charts.sparkline(values, polarity, unit="percent", decimal_places=1)
    assert isinstance(markup, SafeString)
    svg = parsed(markup)
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == expected
    assert svg.find(f"{SVG}title").text == expected


def test_the_sparkline_leaves_a_gap_where_a_figure_is_missing():
    joined = parsed(charts.sparkline([1, 2, 3, 4], "higher"))
    assert len(joined.findall(f"{SVG}polyline")) == 1
    gapped = parsed(charts.sparkline([1, 2, None, 4, 5, None, 7], "higher"))
    # Two runs of two points are lines; the lone 7 is a dot (and the latest figure gets its own dot too).
    assert len(gapped.findall(f"{SVG}polyline")) == 2
    assert len(gapped.findall(f"{SVG}circle")) == 2


def test_the_sparkline_of_a_flat_series_is_a_level_line():
    svg = parsed(charts.sparkline([5, 5, 5], "higher"))
    points = svg.find(f"{SVG}polyline").get("points").split()
    assert len({point.split(",")[1] for point in points}) == 1


def test_the_sparkline_rounds_by_the_unit():
    assert label_of(charts.sparkline([1200, 1234.5], "higher", unit="money", decimal_places=2)) == (
        "Trend over 12 months: £1,200.00 to £1,234.50, better"
    )


def line_chart(**overrides):
    arguments = {
        "points": [("2013-04", Decimal(24)), ("2013-05", None), ("2013-06", Decimal(26)), ("2013-07", Decimal(27))],
        "target_line": [Decimal(30)] * 4,
        "minimum_line": [Decimal(25)] * 4,
        "unit": "percent",
        "decimal_places": 1,
        "title": "NI 130 Social care clients receiving self-directed support",
    }
    return charts.line_chart(**(arguments | overrides))


def test_the_line_chart_has_a_text_alternative_and_a_legend_in_words():
    markup = line_chart()
    assert isinstance(markup, SafeString)
    svg = parsed(markup)
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == (
        "NI 130 Social care clients receiving self-directed support. 4 periods from 2013-04 to 2013-07; "
        "latest value 27.0% (2013-07); target 30.0%, minimum standard 25.0%. The figures are in the table below the chart."
    )
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    # Colour is never the only cue: each line is named, with its pattern, in text.
    assert "Value (solid line, round markers)" in texts
    assert "Target (dashed line)" in texts
    assert "Minimum standard (dotted line)" in texts
    assert "Percentage" in texts and "Period" in texts
    assert {"2013-04", "2013-07"} <= set(texts)
    assert any(text.endswith("%") for text in texts)  # the value axis is labelled in the unit


def test_the_lines_differ_by_dash_pattern_and_markers_so_black_and_white_prints_read():
    svg = parsed(line_chart())
    dashes = {path.get("stroke-dasharray") for path in svg.findall(f"{SVG}path")}
    assert dashes == {charts.TARGET_DASH, charts.MINIMUM_DASH}
    # The value: a solid line broken at the missing month, with a marker on each figure.
    assert [line.get("stroke-dasharray") for line in svg.findall(f"{SVG}polyline")] == [None]
    markers = [circle for circle in svg.findall(f"{SVG}circle") if circle.get("r") == "4"]
    assert len(markers) == 3


def test_a_target_that_changes_with_the_year_is_drawn_as_steps():
    svg = parsed(line_chart(target_line=[Decimal(30), Decimal(30), Decimal(35), Decimal(35)], minimum_line=None))
    (target,) = svg.findall(f"{SVG}path")
    assert "V" in target.get("d")  # a step up where the year changes, not a slope
    assert "Minimum standard (dotted line)" not in [text.text for text in svg.iter(f"{SVG}text")]


def test_every_text_in_the_chart_is_escaped():
    markup = line_chart(
        title='<script>alert("x")</script> & "quotes"', points=[("<b>Q1</b>", Decimal(1)), ("Q2 & more", Decimal(2))],
        target_line=None, minimum_line=None, value_label="Year <to> date",
    )
    assert "<script" not in markup and "<b>" not in markup
    svg = parsed(markup)
    assert svg.get("aria-label").startswith('<script>alert("x")</script> & "quotes". 2 periods from <b>Q1</b> to Q2 & more')
    assert "Year <to> date (solid line, round markers)" in [text.text for text in svg.iter(f"{SVG}text")]


def test_no_inline_style_and_no_script_for_the_content_security_policy():
    for markup in (line_chart(), charts.sparkline([1, None, 3], "lower")):
        assert not re.search(r"\sstyle=", markup)
        assert "<script" not in markup and "javascript:" not in markup


def test_a_chart_of_one_period_or_of_no_figures_still_draws():
    single = parsed(line_chart(points=[("2012/13", Decimal(72.3))], target_line=[None], minimum_line=[None]))
    assert "1 period from 2012/13 to 2012/13" in single.get("aria-label")
    assert "target not set, minimum standard not set" in single.get("aria-label")
    empty = parsed(line_chart(points=[("2013-04", None)], target_line=None, minimum_line=None))
    assert "no figures" in empty.get("aria-label")
    assert line_chart(points=[]) == ""


def test_a_year_to_date_line_is_not_joined_across_april():
    points = [("2013-02", Decimal(800)), ("2013-03", Decimal(900)), ("2013-04", Decimal(80)), ("2013-05", Decimal(160))]
    joined = parsed(line_chart(points=points, target_line=None, minimum_line=None, unit="count", decimal_places=0))
    assert len(joined.findall(f"{SVG}polyline")) == 1
    broken = parsed(line_chart(points=points, target_line=None, minimum_line=None, unit="count", decimal_places=0,
                               breaks={2}))
    assert [len(line.get("points").split()) for line in broken.findall(f"{SVG}polyline")] == [2, 2]


def test_the_value_axis_names_a_long_unit_once_rather_than_on_every_tick():
    svg = parsed(line_chart(points=[("2013-04", Decimal("72.3")), ("2013-05", Decimal("74.7"))], target_line=None,
                            minimum_line=None, unit="rate_per_10000"))
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "Rate per 10,000 population" in texts
    assert not any("per 10,000" in text for text in texts if text != "Rate per 10,000 population")


# --- Bar charts (the safeguarding overview's sources and types of abuse) --------------------------------


def test_a_bar_chart_names_its_series_by_pattern_and_says_what_is_largest():
    svg = str(charts.bar_chart("Sources in Q4", ["Homes", "Police <&>"], [("Q4", [80, 12]), ("Q3", [70, None]), ("Q4 last year", [60, 9])],
                               chart_id="sources"))
    assert 'role="img"' in svg and "<title>" in svg
    assert "Largest in Q4: Homes 80, Police &lt;&amp;&gt; 12" in svg
    assert "Q4 (solid bars)" in svg and "Q3 (hatched bars)" in svg and "Q4 last year (white bars with a dark outline)" in svg
    assert 'id="sources-hatch"' in svg and "style=" not in svg
    assert svg.count("<rect") == 1 + 5 + 3  # the pattern's, five bars (one not counted), three legend samples


def test_a_bar_chart_with_nothing_to_draw():
    assert str(charts.bar_chart("Nothing", [], [("Q4", [])], chart_id="x")) == ""
    svg = str(charts.bar_chart("Zeros", ["A"], [("Q4", [0])], chart_id="x"))
    assert "Q4 has no figures" in svg


def test_a_stored_trend_draws_the_same_sparkline_with_its_middle_figures_as_floats():
    """The dashboard draws from `trend_for_drawing` (floats between the first and the last figure, which its words
    show exactly): the same SVG as from every figure made a Decimal, for any figures a trend can store."""
    import random

    from performance.models import trend_for_drawing, trend_points, trend_text

    chosen = random.Random(2013)
    for _ in range(3000):
        size = chosen.choice([1, 2, 5, 12])
        places = chosen.choice([0, 1, 2, 6])
        scale = chosen.choice([1, 100, 10_000, 10**9])
        figures = [
            None if chosen.random() < 0.2 else Decimal(chosen.randint(-scale, scale * 10)).scaleb(-places)
            for _ in range(size)
        ]
        text = trend_text(figures)
        drawn = trend_for_drawing(text)
        assert [point is None for point in drawn] == [figure is None for figure in trend_points(text)]
        for unit, decimal_places in (("percent", 1), ("money", 2), ("count", 0)):
            assert charts.sparkline(drawn, "higher", unit=unit, decimal_places=decimal_places) == charts.sparkline(
                trend_points(text), "higher", unit=unit, decimal_places=decimal_places
            ), text
    assert trend_for_drawing("") == trend_for_drawing("[]") == ()
    assert trend_for_drawing("[null,null]") == (None, None)
    assert trend_for_drawing("[1.5,null,2,3]") == (Decimal("1.5"), None, 2.0, Decimal("3"))
