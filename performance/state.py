"""Each indicator's stored figures, one row a month: value, year to date, rolling 12 months,
out-turn, target and minimum standard as applied, RAG and reason, direction of travel.

`figures.figures_for` is the rule; this module feeds it what the database holds and writes
back its answers, with a fixed number of queries per chunk of indicators. Whatever changes a
reading, a target or an indicator's settings calls `refresh` for the indicators it touched, so
a dashboard reads one stored row per indicator and never loops over the history.

An indicator has figures for every month from the first month in which one of its periods
ended up to the horizon: the last month in which any indicator's reading period ends (the
latest month a dashboard can show). When the horizon moves on, indicators nobody touched get
the new months added; their older months cannot change, since a month's figures read only
readings up to it.
"""

from django.db import transaction
from django.db.models import Max, Min

from core import bulk
from core.periods import Month, today

from . import charts, figures
from .models import Figure, Indicator, Reading, Target, period_of, stored_figure, trend_point_text

CHUNK = 500  # indicators worked out together: their readings are held in memory at once
# A month's figures read back as far as the previous period of the financial year that answers for it: for an
# annual indicator asked about February, the year before last began 34 months earlier (quarters need 26).
LOOK_BACK_MONTHS = 36


def horizon():
    """The last month in which any reading's period ends; None when there are no readings."""
    ends = []
    latest = Reading.objects.values("indicator__frequency").annotate(latest=Max("period_start"))
    for row in latest:
        ends.append(period_of(row["indicator__frequency"], row["latest"]).end)
    # Never past this month, whatever a reading claims: no figures for months still to come.
    return min(Month.of(max(ends)), Month.of(today())) if ends else None


def latest_month():
    """The latest month a page can show: the horizon as the stored figures hold it (an index reads it)."""
    latest = Figure.objects.aggregate(latest=Max("month"))["latest"]
    return Month.of(latest) if latest else None


@transaction.atomic
def refresh(indicators=None):
    """Work out again every month of `indicators` (ids or a queryset; all when None), then add to every
    other indicator the months up to the horizon that it lacks. Returns how many figures were written."""
    last = horizon()
    if last is None:
        Figure.objects.all().delete()
        return 0
    moved = latest_month() != last
    Figure.objects.filter(month__gt=last.start).delete()
    if indicators is None:
        touched = set(Indicator.objects.values_list("pk", flat=True))
    else:
        touched = set(indicators.values_list("pk", flat=True) if hasattr(indicators, "values_list") else indicators)
    if not moved:
        # The others reach the horizon already: a month's data entry reads none of them (two indexed queries
        # instead of reading every stored figure and reading).
        return _work_out(sorted(touched), last)
    # The rest lack at most the months since the horizon last moved; one with readings and no figures at all
    # (a refresh that never ran for it) is worked out whole.
    stored_up_to = dict(
        Figure.objects.exclude(indicator_id__in=touched).values("indicator_id").annotate(last=Max("month"))
        .values_list("indicator_id", "last")
    )
    with_readings = set(Reading.objects.exclude(indicator_id__in=touched).values_list("indicator_id", flat=True).distinct())
    whole = touched | {pk for pk in with_readings if pk not in stored_up_to}
    behind = {pk: month for pk, month in stored_up_to.items() if month < last.start}
    written = _work_out(sorted(whole), last)
    if behind:
        written += _work_out(sorted(behind), last, since=Month.of(min(behind.values())).shift(1))
    return written


def _work_out(ids, last, since=None):
    """Figures of the indicators `ids` for every month up to `last`, or only for the months from `since` on."""
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        readings = Reading.objects.filter(indicator_id__in=chunk)
        if since is not None:
            readings = readings.filter(period_start__gte=since.shift(-LOOK_BACK_MONTHS).start)
        series = {}
        for pk, frequency, period_start, value, numerator, denominator in readings.values_list(
            "indicator_id", "indicator__frequency", "period_start", "value", "numerator", "denominator"
        ).iterator(chunk_size=5000):
            series.setdefault(pk, {})[period_of(frequency, period_start)] = figures.Reading(value, numerator, denominator)
        targets = {}
        for target in Target.objects.filter(indicator_id__in=chunk):
            targets.setdefault(target.indicator_id, {})[target.year] = target.spec
        first = dict(
            Reading.objects.filter(indicator_id__in=chunk).values("indicator_id").annotate(first=Min("period_start"))
            .values_list("indicator_id", "first")
        )
        # Each month's trend reads the rated figures of the 11 months before it (as texts: each is written in 12
        # trends); those before `since` are stored.
        rated = {}
        if since is not None:
            for pk, figure_month, rated_value in Figure.objects.filter(
                indicator_id__in=chunk, month__gte=since.shift(1 - figures.TREND_MONTHS).start, month__lt=since.start
            ).order_by().values_list("indicator_id", "month", "rated_value"):
                rated.setdefault(pk, {})[figure_month] = trend_point_text(rated_value)
        rows = []
        for indicator in Indicator.objects.filter(pk__in=chunk).only(
            "pk", "polarity", "frequency", "aggregation", "rated_figure", "unit", "decimal_places"
        ):
            if indicator.pk not in first:
                continue
            month = Month.of(indicator.period_of(first[indicator.pk]).end)
            if since is not None:
                month = max(month, since)
            spec, own_series, own_targets = indicator.spec, series.get(indicator.pk, {}), targets.get(indicator.pk, {})
            memo = {}  # one indicator's figures by period, reused as the months go by
            own_rated = rated.get(indicator.pk, {})
            while month <= last:
                worked_out = figures.figures_for(spec, own_series, own_targets, month, memo)
                own_rated[month.start] = trend_point_text(stored_figure(worked_out.rated_value))
                points = figures.trend(own_rated, spec.frequency, month)
                trend = "[" + ",".join(point or "null" for point in points) + "]"
                rows.append(_figure_row(indicator.pk, month, worked_out, trend, geometry_of(points)))
                month = month.shift(1)
        stale = Figure.objects.filter(indicator_id__in=chunk)
        if since is not None:
            stale = stale.filter(month__gte=since.start)  # the months before stay as they are
        stale.delete()
        bulk.insert(Figure, rows, FIGURE_FIELDS)
        written += len(rows)
    return written


FIGURE_FIELDS = [
    "indicator", "month", "period_start", "value", "ytd", "rolling_12", "out_turn", "target", "minimum_standard",
    "target_note", "rated_value", "rag_colour", "rag_reason", "previous_value", "direction", "last_year_value",
    "direction_on_last_year", "trend", "sparkline",
]


def geometry_of(points):
    """The sparkline's geometry (charts.sparkline_geometry) of a trend's points as written in its text ("null", ""
    or None for a gap)."""
    return charts.sparkline_geometry([float(point) if point and point != "null" else None for point in points])


def _figure_row(indicator_id, month, worked_out, trend, geometry):
    """A Figure row as FIGURE_FIELDS lists its columns: tens of thousands are written at once (core.bulk).
    `trend`: its text (models.trend_text); `geometry`: its sparkline's (`geometry_of`)."""
    return (
        indicator_id, month.start, worked_out.period.start, *(
            stored_figure(getattr(worked_out, name))
            for name in ("value", "ytd", "rolling_12", "out_turn", "target", "minimum_standard")
        ),
        worked_out.target_note, stored_figure(worked_out.rated_value), worked_out.rag.colour,
        worked_out.rag.reason[:1000],
        stored_figure(worked_out.previous_value), worked_out.direction or "", stored_figure(worked_out.last_year_value),
        worked_out.direction_on_last_year or "", trend, geometry,
    )
