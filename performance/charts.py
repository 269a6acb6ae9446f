"""Charts drawn on the server as SVG: no JavaScript, no image files, readable printed in black and white.

Pure functions of values, returning markup that is safe to put in a template: every text placed in
the SVG is escaped here. Each chart is `role="img"` with a text alternative that says what it shows
in words, and colour is never the only cue (WCAG 1.4.1): the lines differ by dash pattern and markers,
and the legend names each line and its pattern in text. The figures themselves are in the data table
the page puts beneath the chart. No `style=` attributes: the Content-Security-Policy forbids inline
styles, so styling is in presentation attributes (stroke, fill) and `static/scss/app.scss` classes.
"""

import functools
import math
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

from core.html import escape

from . import figures

# GOV.UK Frontend's colours: blue for the figure, green for the target, red for the minimum standard.
VALUE_COLOUR, TARGET_COLOUR, MINIMUM_COLOUR = "#1d70b8", "#00703c", "#d4351c"
TEXT_COLOUR, GRID_COLOUR, AXIS_COLOUR = "#0b0c0c", "#b1b4b6", "#505a5f"
TARGET_DASH, MINIMUM_DASH = "10 5", "2 4"
FONT = 'font-family="arial, sans-serif"'
DIRECTION_WORDS = {figures.BETTER: "better", figures.WORSE: "worse", figures.SAME: "no change"}
UNIT_NAMES = dict(figures.UNIT_CHOICES)


def _text(value):
    return escape(str(value))


def _number(value):
    """A coordinate, short: 12.5 not 12.500000001."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _floats(values):
    return [None if value is None else float(value) for value in values]


def _runs(points):
    """Consecutive (x, y) points with no gap between them: a gap (None) ends a run."""
    runs, current = [], []
    for point in points:
        if point is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(point)
    if current:
        runs.append(current)
    return runs


@functools.lru_cache(maxsize=64)
def _sparkline_xs(count, width, pad):
    """The x coordinates, as drawn, of `count` points across a sparkline: the same for every row of a dashboard."""
    if count == 1:
        return (_number(width / 2),)
    step = (width - 2 * pad) / (count - 1)
    return tuple(_number(pad + index * step) for index in range(count))


@functools.lru_cache(maxsize=16)
def _tenths(limit):
    """Every coordinate from 0 to `limit` in tenths, as drawn: a sparkline's points look theirs up rather than
    format each (a dashboard's hundred sparklines formatted 1,200 numbers, a sixth of their time)."""
    return tuple(_number(tenth / 10) for tenth in range(limit * 10 + 1))


def sparkline(values, polarity, *, unit=figures.NUMBER, decimal_places=0, months=12, width=120, height=32, geometry=None):
    """A small line of up to 12 points, oldest first, with gaps where a value is None and a dot on the latest.

    Its text alternative says where the line starts and ends and whether that is better or worse by
    `polarity`: "Trend over 12 months: 24.0% to 27.0%, better".

    `geometry`: the line as `sparkline_geometry` placed these values, when it was kept (`Figure.sparkline`): a
    dashboard draws a hundred a page, and placing their points was a tenth of its time.
    """
    values = tuple(values)
    count = len(values)
    known = [index for index, value in enumerate(values) if value is not None]
    words = f"Trend over {months} months"
    if not known:
        label = f"{words}: no figures"
    elif len(known) == 1:
        label = f"{words}: one figure, {figures.format_figure(values[known[0]], unit, decimal_places)}"
    else:
        first, last = values[known[0]], values[known[-1]]
        moved = DIRECTION_WORDS[figures.direction(last, first, polarity, decimal_places)]
        label = (
            f"{words}: {figures.format_figure(first, unit, decimal_places)} to "
            f"{figures.format_figure(last, unit, decimal_places)}, {moved}"
        )
    missing = count - len(known)
    if known and missing:
        label += f" ({missing} of {count} periods with no figure)"
    if geometry is None:
        geometry = sparkline_geometry(values, width, height)
    if geometry:
        runs = geometry.split("|")
        x, y = runs[-1].rsplit(" ", 1)[-1].split(",")
        drawn = "".join(map(_sparkline_run, runs)) + f'<circle cx="{x}" cy="{y}" r="3" fill="{TEXT_COLOUR}"/>'
    else:
        drawn = (
            f'<line x1="{SPARKLINE_PAD}" y1="{height / 2}" x2="{width - SPARKLINE_PAD}" y2="{height / 2}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1" stroke-dasharray="2 3"/>'
        )
    label = _text(label)
    # SafeString rather than mark_safe: the text is a str, and mark_safe's checks cost a row as much as a point.
    return SafeString(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-sparkline" role="img" aria-label="{label}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{label}</title>{drawn}</svg>'
    )


SPARKLINE_PAD = 4


def sparkline_geometry(values, width=120, height=32):
    """Where a sparkline of `values` (figures, None for a gap) places its points, as text: each run of points with
    no gap between them "x,y x,y", the runs joined by "|"; "" with no figures. Kept with each stored figure
    (`Figure.sparkline`), as a pure function of its trend."""
    known = [index for index, value in enumerate(values) if value is not None]
    if not known:
        return ""
    pad = SPARKLINE_PAD
    floats = [float(values[index]) for index in known]
    low, high = min(floats), max(floats)
    xs = _sparkline_xs(len(values), width, pad)
    if high == low:
        ys = [_number(height / 2)] * len(known)
    else:
        span, plot, tenths = high - low, height - 2 * pad, _tenths(height)
        ys = [tenths[round((height - pad - (value - low) / span * plot) * 10)] for value in floats]
    points = [f"{xs[index]},{y}" for index, y in zip(known, ys)]
    runs, start = [], 0
    for position in range(1, len(known)):
        if known[position] != known[position - 1] + 1:  # a gap ends a run
            runs.append(" ".join(points[start:position]))
            start = position
    runs.append(" ".join(points[start:]))
    return "|".join(runs)


def _sparkline_run(run):
    """Consecutive points of a sparkline ("x,y x,y"): a line, or a dot for a figure with gaps either side (a line
    of one point would not show at all)."""
    if " " not in run:
        x, y = run.split(",")
        return f'<circle cx="{x}" cy="{y}" r="2" fill="{VALUE_COLOUR}"/>'
    return (
        f'<polyline points="{run}" fill="none" stroke="{VALUE_COLOUR}" stroke-width="2" '
        'stroke-linejoin="round" stroke-linecap="round"/>'
    )


def _nice_step(span, ticks=5):
    """A round step (1, 2 or 5 times a power of ten) that divides `span` into about `ticks` parts."""
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


def _tick_places(step):
    """Decimal places enough for the axis ticks to read differently: none for whole steps, one for 0.5."""
    return 0 if step >= 1 else min(3, -math.floor(math.log10(step)))


def line_chart(points, target_line, minimum_line, unit, decimal_places, title, *, value_label="Value",
               breaks=(), width=720, height=360):
    """The figures of an indicator period by period, with its target and minimum standard.

    `points`: (period label, value or None), oldest first; `target_line`, `minimum_line`: the target and
    minimum standard of each of those periods (None where not set), or None for no line. Targets are set
    per financial year, so they are drawn as steps across each period, not as slopes between years.
    The value is a solid line with round markers, the target dashed, the minimum standard dotted, each
    named in the legend in words. `breaks`: the indexes of points the line does not join to the one before
    (a year-to-date figure restarts each April: a line from March down to April would read as a fall).
    Returns "" when there are no points (the page says so in words).
    """
    points = list(points)
    if not points:
        return mark_safe("")
    labels = [label for label, _ in points]
    values = _floats(value for _, value in points)
    targets = _floats(target_line or [None] * len(points))
    minimums = _floats(minimum_line or [None] * len(points))
    left, right, top, bottom = 80, 20, 96, height - 60
    plot_width, plot_height = width - left - right, bottom - top
    slot = plot_width / len(points)
    everything = [value for value in values + targets + minimums if value is not None]

    def tick_text(value, places):
        # "27%" and "£1,200" are short; "80 per 10,000" on every tick is not: the axis title names the unit.
        short = unit if unit in (figures.PERCENT, figures.MONEY) else figures.NUMBER
        return figures.format_figure(Decimal(str(value)), short, places)

    parts = []
    if everything:
        low, high = min(everything), max(everything)
        if low == high:
            low, high = low - (abs(low) * 0.1 or 1), high + (abs(high) * 0.1 or 1)
        step = _nice_step(high - low)
        low, high = math.floor(low / step) * step, math.ceil(high / step) * step
        places = _tick_places(step)
        for index in range(round((high - low) / step) + 1):
            tick = low + index * step
            ty = bottom - (tick - low) / (high - low) * plot_height
            parts.append(
                f'<line x1="{left}" y1="{_number(ty)}" x2="{width - right}" y2="{_number(ty)}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
                f'<text x="{left - 8}" y="{_number(ty + 5)}" text-anchor="end" font-size="14" fill="{TEXT_COLOUR}" {FONT}>'
                f"{_text(tick_text(round(tick, 6), places))}</text>"
            )

        def y(value):
            return bottom - (value - low) / (high - low) * plot_height
    else:
        def y(value):  # no figure, target or minimum standard: nothing is drawn against it
            return bottom

    # Axes and their titles.
    parts.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        f'<line x1="{left}" y1="{bottom}" x2="{width - right}" y2="{bottom}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        f'<text x="{left + plot_width / 2}" y="{height - 12}" text-anchor="middle" font-size="14" fill="{TEXT_COLOUR}" {FONT}>Period</text>'
        f'<text x="10" y="{top - 14}" font-size="14" fill="{TEXT_COLOUR}" {FONT}>{_text(UNIT_NAMES.get(unit, unit))}</text>'
    )
    # Period labels, thinned so they never overlap (about 80px each).
    every = max(1, math.ceil(len(points) / max(1, plot_width // 80)))
    for index, label in enumerate(labels):
        if index % every == 0:
            cx = left + (index + 0.5) * slot
            parts.append(
                f'<text x="{_number(cx)}" y="{bottom + 22}" text-anchor="middle" font-size="14" fill="{TEXT_COLOUR}" {FONT}>{_text(label)}</text>'
            )

    def steps(line, colour, dash):
        path, previous = [], None
        for index, value in enumerate(line):
            if value is None:
                previous = None
                continue
            x_from, x_to, vy = left + index * slot, left + (index + 1) * slot, _number(y(value))
            path.append(f"M{_number(x_from)} {vy}H{_number(x_to)}" if previous is None else f"V{vy}H{_number(x_to)}")
            previous = value
        if path:
            parts.append(
                f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
            )

    steps(targets, TARGET_COLOUR, TARGET_DASH)
    steps(minimums, MINIMUM_COLOUR, MINIMUM_DASH)
    centres = [None if value is None else (left + (index + 0.5) * slot, y(value)) for index, value in enumerate(values)]
    joined = []
    for index, centre in enumerate(centres):
        if index in breaks:
            joined.append(None)
        joined.append(centre)
    for run in _runs(joined):
        if len(run) > 1:
            coordinates = " ".join(f"{_number(px)},{_number(py)}" for px, py in run)
            parts.append(f'<polyline points="{coordinates}" fill="none" stroke="{VALUE_COLOUR}" stroke-width="3" stroke-linejoin="round"/>')
    for centre in centres:
        if centre is not None:
            parts.append(
                f'<circle cx="{_number(centre[0])}" cy="{_number(centre[1])}" r="4" fill="{VALUE_COLOUR}" stroke="#ffffff" stroke-width="1"/>'
            )

    # The legend: a sample of each line and its name in words, pattern included.
    legend = [
        (f'<line x1="0" y1="0" x2="30" y2="0" stroke="{VALUE_COLOUR}" stroke-width="3"/><circle cx="15" cy="0" r="4" fill="{VALUE_COLOUR}"/>',
         f"{value_label} (solid line, round markers)"),
    ]
    if any(value is not None for value in targets):
        legend.append((f'<line x1="0" y1="0" x2="30" y2="0" stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="{TARGET_DASH}"/>',
                       "Target (dashed line)"))
    if any(value is not None for value in minimums):
        legend.append((f'<line x1="0" y1="0" x2="30" y2="0" stroke="{MINIMUM_COLOUR}" stroke-width="2" stroke-dasharray="{MINIMUM_DASH}"/>',
                       "Minimum standard (dotted line)"))
    for row, (sample, name) in enumerate(legend):
        ly = 16 + row * 18
        parts.append(
            f'<g transform="translate({left} {ly})">{sample}'
            f'<text x="38" y="5" font-size="14" fill="{TEXT_COLOUR}" {FONT}>{_text(name)}</text></g>'
        )

    known = [(label, value) for label, value in points if value is not None]
    description = f"{title}. {len(points)} period{'s' if len(points) != 1 else ''} from {labels[0]} to {labels[-1]}"
    if known:
        latest_label, latest_value = known[-1]
        latest_index = labels.index(latest_label) if latest_label in labels else len(points) - 1
        description += f"; latest {value_label.lower()} {figures.format_figure(latest_value, unit, decimal_places)} ({latest_label})"
        target, minimum = (target_line or [None] * len(points))[latest_index], (minimum_line or [None] * len(points))[latest_index]
        description += "; target " + ("not set" if target is None else figures.format_figure(target, unit, decimal_places))
        description += ", minimum standard " + (
            "not set" if minimum is None else figures.format_figure(minimum, unit, decimal_places)
        )
    else:
        description += "; no figures"
    description += ". The figures are in the table below the chart."
    description = _text(description)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-line-chart" role="img" aria-label="{description}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{description}</title>{"".join(parts)}</svg>'
    )


# Bar fills told apart without colour: solid, hatched and outlined, each named in the legend.
BAR_FILLS = (
    ("solid", VALUE_COLOUR, "solid bars"),
    ("hatched", "#ffffff", "hatched bars"),
    ("outlined", "#ffffff", "white bars with a dark outline"),
)


def bar_chart(title, categories, series, *, chart_id, unit=figures.COUNT, width=720, label_width=240):
    """Horizontal bars: one group per category, one bar per series (at most three: a quarter, the one before,
    the same quarter last year), each bar with its figure written at its end.

    `categories`: names, in the order drawn; `series`: [(name, [value or None per category])], the first drawn
    solid, the second hatched, the third outlined, so that colour is never the only cue; `chart_id` makes the
    hatch pattern's id unique on a page with several charts. The text alternative names the series and the
    first series' largest categories; the page puts the data table beneath. Returns "" with no categories.
    """
    categories, series = list(categories), list(series)[: len(BAR_FILLS)]
    if not categories or not series:
        return mark_safe("")
    bar, gap, top = 14, 10, 28 + 20 * len(series)
    group = bar * len(series) + gap
    height = top + group * len(categories) + 30
    plot_left, plot_right = label_width, width - 70
    highest = max([value for _, values in series for value in values if value is not None] or [0])
    step = _nice_step(highest) if highest else 1
    high = math.ceil(highest / step) * step or 1
    pattern = f"{_text(chart_id)}-hatch"
    parts = [
        f'<defs><pattern id="{pattern}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="{VALUE_COLOUR}" stroke-width="3"/>'
        f"</pattern></defs>"
    ]

    def fill(index):
        kind, colour, _ = BAR_FILLS[index]
        if kind == "hatched":
            return f'fill="url(#{pattern})" stroke="{VALUE_COLOUR}" stroke-width="1"'
        if kind == "outlined":
            return f'fill="{colour}" stroke="{TEXT_COLOUR}" stroke-width="1.5"'
        return f'fill="{colour}"'

    def x(value):
        return plot_left + value / high * (plot_right - plot_left)

    bottom = top + group * len(categories)
    for index in range(round(high / step) + 1):
        tick = index * step
        tx = _number(x(tick))
        parts.append(
            f'<line x1="{tx}" y1="{top - 4}" x2="{tx}" y2="{bottom}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{tx}" y="{bottom + 18}" text-anchor="middle" font-size="13" fill="{TEXT_COLOUR}" {FONT}>'
            f"{_text(figures.format_figure(Decimal(tick), unit))}</text>"
        )
    for row, name in enumerate(categories):
        y0 = top + row * group
        shown = name if len(name) <= 34 else name[:33] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{_number(y0 + bar * len(series) / 2 + 5)}" text-anchor="end" font-size="13" '
            f'fill="{TEXT_COLOUR}" {FONT}>{_text(shown)}</text>'
        )
        for index, (_, values) in enumerate(series):
            value = values[row]
            by = y0 + index * bar
            if value is None:
                continue
            end = x(float(value))
            parts.append(f'<rect x="{plot_left}" y="{by + 1}" width="{_number(max(end - plot_left, 0))}" height="{bar - 2}" {fill(index)}/>')
            parts.append(
                f'<text x="{_number(end + 4)}" y="{by + bar - 3}" font-size="12" fill="{TEXT_COLOUR}" {FONT}>'
                f"{_text(figures.format_figure(value, unit))}</text>"
            )
    parts.append(f'<line x1="{plot_left}" y1="{top - 4}" x2="{plot_left}" y2="{bottom}" stroke="{AXIS_COLOUR}" stroke-width="1"/>')
    for index, (name, _) in enumerate(series):
        ly = 8 + index * 20
        parts.append(
            f'<rect x="{plot_left}" y="{ly}" width="24" height="12" {fill(index)}/>'
            f'<text x="{plot_left + 32}" y="{ly + 11}" font-size="13" fill="{TEXT_COLOUR}" {FONT}>'
            f"{_text(name)} ({BAR_FILLS[index][2]})</text>"
        )
    first_name, first_values = series[0]
    ranked = sorted(
        ((value, name) for name, value in zip(categories, first_values) if value), key=lambda pair: -pair[0]
    )
    description = f"{title}. Bar chart of {len(categories)} categories"
    description += "; bars for " + ", ".join(name for name, _ in series)
    if ranked:
        largest = ", ".join(f"{name} {figures.format_figure(value, unit)}" for value, name in ranked[:3])
        description += f". Largest in {first_name}: {largest}"
    else:
        description += f". {first_name} has no figures"
    description = _text(description + ". The figures are in the table below the chart.")
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-bar-chart" role="img" aria-label="{description}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{description}</title>{"".join(parts)}</svg>'
    )
