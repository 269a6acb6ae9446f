"""The figures of a performance indicator and its RAG rating, as pure functions.

The rules are DOMAIN.md "Periods and figures" (year to date, rolling 12 months,
direction of travel) and "RAG rules > Indicators" (seed 001, 4.3: Green when the
target is achieved, Amber below target but at or above the minimum standard, Red
below the minimum standard). Functions take values and return values; `series`
always maps a period (`core.periods.Month`, `Quarter` or `FinancialYear`, of the
indicator's frequency) to a `Reading`. Figures are `decimal.Decimal`; a figure
that cannot be worked out is None, never a guess.
"""

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.periods import ANNUAL, MONTHLY, QUARTERLY, Month, months_elapsed_in_financial_year, period_for
from core.rag import AMBER, GREEN, GREY, RED, Rag

HIGHER, LOWER = "higher", "lower"
POLARITY_CHOICES = [(HIGHER, "Higher is better"), (LOWER, "Lower is better")]

SUM, RATIO, MEAN, LATEST = "sum", "ratio", "mean", "latest"
AGGREGATION_CHOICES = [
    (SUM, "Sum (counts of events)"),
    (RATIO, "Ratio (sum of numerators / sum of denominators)"),
    (MEAN, "Mean"),
    (LATEST, "Latest (a snapshot)"),
]

VALUE, YTD, ROLLING12 = "value", "ytd", "rolling12"
RATED_FIGURE_CHOICES = [(VALUE, "Value for the period"), (YTD, "Year to date"), (ROLLING12, "Rolling 12 months")]

FREQUENCY_CHOICES = [(MONTHLY, "Monthly"), (QUARTERLY, "Quarterly"), (ANNUAL, "Annual")]

PERCENT, COUNT, RATE_PER_1000, RATE_PER_10000, MONEY, DAYS, NUMBER = (
    "percent",
    "count",
    "rate_per_1000",
    "rate_per_10000",
    "money",
    "days",
    "number",
)
UNIT_CHOICES = [
    (PERCENT, "Percentage"),
    (COUNT, "Count"),
    (RATE_PER_1000, "Rate per 1,000 population"),
    (RATE_PER_10000, "Rate per 10,000 population"),
    (MONEY, "Money (£)"),
    (DAYS, "Days"),
    (NUMBER, "Number"),
]
# A percentage with numerator 27 and denominator 100 has the value 27.
SCALE = {PERCENT: Decimal(100), RATE_PER_1000: Decimal(1000), RATE_PER_10000: Decimal(10000)}
# What a ratio of counts can be: a share or a rate, or a plain number.
RATIO_UNITS = (*SCALE, NUMBER)
RATIO_UNITS_RULE = "a ratio is a percentage, a rate per 1,000 or 10,000, or a number"

BETTER, WORSE, SAME = "better", "worse", "same"
ONE = Decimal(1)

# How many periods of each kind make a year, and so a rolling 12 months.
PERIODS_IN_A_YEAR = {"month": 12, "quarter": 4, "year": 1}


@dataclass(frozen=True)
class Reading:
    """What was reported for one period; a ratio indicator also reports its numerator and denominator."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def combine(readings, aggregation, unit=NUMBER):
    """One figure from several periods' readings, or None when any of them is missing (None).

    DOMAIN.md, "Periods and figures": `sum` adds the values; `ratio` is the sum of the
    numerators over the sum of the denominators, scaled to the unit (x 100 for a
    percentage, x 1,000 or x 10,000 for a rate), and None when the denominators add
    up to 0; `mean` averages the values; `latest` is the last reading's value.
    """
    # One pass a reading: a stored history combines twelve readings for every month of every indicator.
    readings = tuple(readings)
    if not readings:
        return None
    if aggregation == RATIO:
        numerator = denominator = 0
        for reading in readings:
            if reading is None or reading.numerator is None or reading.denominator is None:
                return None
            numerator += _decimal(reading.numerator)
            denominator += _decimal(reading.denominator)
        if denominator == 0:
            return None
        return numerator / denominator * SCALE.get(unit, ONE)
    total = 0
    for reading in readings:
        if reading is None:
            return None
        value = _decimal(reading.value)
        if value is None:
            return None
        total += value
    if aggregation == LATEST:
        return value
    if aggregation == SUM:
        return total
    if aggregation == MEAN:
        return total / len(readings)
    raise ValueError(f"An indicator's aggregation is sum, ratio, mean or latest, not {aggregation!r}")


def ratio_value(numerator, denominator, unit):
    """A reading's value from its numerator and denominator, scaled to the unit (27 of 100 is 27%); None
    when the denominator is missing or 0."""
    if numerator is None or not denominator:
        return None
    return _decimal(numerator) / _decimal(denominator) * SCALE.get(unit, Decimal(1))


def year_to_date(series, period, aggregation, unit=NUMBER):
    """The periods of `period`'s financial year from its first up to `period`, combined.

    None when any of them is missing, except for `latest`, a snapshot, which only
    needs `period` itself. An annual indicator's year to date is the year's own value.
    """
    if aggregation == LATEST or period.kind == "year":
        return _value(series, period)
    return combine([series.get(each) for each in year_so_far(period)], aggregation, unit)


def rolling_12_months(series, period, aggregation, unit=NUMBER):
    """The periods covering the 12 months that end with `period`, combined; None when any is missing.

    DOMAIN.md, "Periods and figures": "not shown when any of those months is missing".
    """
    if period.kind == "year":
        return _value(series, period)
    return combine([series.get(each) for each in rolling_12_periods(period)], aggregation, unit)


def out_turn(series, financial_year, frequency, aggregation, unit=NUMBER):
    """The final figure for the year (DOMAIN.md glossary, "Year out-turn"): None until every period is in."""
    last = period_for(frequency, Month.of(financial_year.end))
    if last.kind == "year":
        return _value(series, last)
    if missing_periods(series, year_so_far(last), aggregation):
        return None
    return year_to_date(series, last, aggregation, unit)


# Cached, as tuples: a stored history asks for the same periods' neighbours month after month.
@functools.lru_cache(maxsize=16384)
def year_so_far(period):
    """The periods of the same kind from the start of `period`'s financial year up to `period`."""
    return tuple(each for each in period.financial_year.periods(period.kind) if each <= period)


@functools.lru_cache(maxsize=16384)
def rolling_12_periods(period):
    """The periods of the same kind covering the 12 months that end with `period`, oldest first."""
    count = PERIODS_IN_A_YEAR[period.kind]
    return tuple(period.shift(n - count + 1) for n in range(count))


def missing_periods(series, periods, aggregation):
    """Those of `periods` with nothing to combine: no reading, or (for a ratio) no numerator and denominator."""
    missing = []
    for period in periods:
        reading = series.get(period)
        if reading is None:
            missing.append(period)
        elif aggregation == RATIO and (reading.numerator is None or reading.denominator is None):
            missing.append(period)
        elif aggregation != RATIO and reading.value is None:
            missing.append(period)
    return missing


def pro_rate(annual, months_elapsed, profile=None):
    """The share of an annual target (or minimum standard) due after `months_elapsed` months (1 to 12).

    Evenly, annual x months / 12; or by a monthly profile of 12 weights, April first:
    annual x the weights so far / all the weights.
    """
    if annual is None:
        return None
    if not 1 <= months_elapsed <= 12:
        raise ValueError(f"A financial year has months 1 to 12, not {months_elapsed}")
    annual = _decimal(annual)
    if profile is None:
        return annual * months_elapsed / 12
    weights = _profile(profile)
    return annual * sum(weights[:months_elapsed]) / sum(weights)


def direction(current, previous, polarity, decimal_places=None):
    """"better", "worse" or "same" by the indicator's polarity (DOMAIN.md, "Direction of travel").

    None when either figure is None. With `decimal_places`, the figures are compared
    as shown, so two figures that read the same are "same".
    """
    if current is None or previous is None:
        return None
    current, previous = _decimal(current), _decimal(previous)
    if decimal_places is not None:
        current, previous = rounded(current, decimal_places), rounded(previous, decimal_places)
    if current == previous:
        return SAME
    return BETTER if (current > previous) == (polarity == HIGHER) else WORSE


def format_figure(value, unit, decimal_places=0):
    """A figure as people read it: "27.0%", "1,234", "£1,234.50", "12.5 days", "3.4 per 1,000"; None is "no value"."""
    if value is None:
        return "no value"
    shown = rounded(_decimal(value), decimal_places)
    number = f"{abs(shown):,.{decimal_places}f}"
    sign = "-" if shown < 0 else ""
    if unit == PERCENT:
        return f"{sign}{number}%"
    if unit in (COUNT, NUMBER):
        return f"{sign}{number}"
    if unit == MONEY:
        return f"{sign}£{number}"
    if unit == DAYS:
        return f"{sign}{number} {'day' if number == '1' else 'days'}"
    if unit == RATE_PER_1000:
        return f"{sign}{number} per 1,000"
    if unit == RATE_PER_10000:
        return f"{sign}{number} per 10,000"
    raise ValueError(f"Unknown unit {unit!r}")


def rate(
    value,
    target,
    minimum_standard,
    polarity,
    unit,
    decimal_places=0,
    *,
    figure_label="",
    target_label="the target",
    target_note="",
    minimum_standard_label="the minimum standard",
    minimum_standard_note="",
    no_value_reason="no value has been reported",
    no_target_reason="no target is set",
):
    """The RAG rating of a figure against its target and minimum standard, with the reason in words.

    Seed 001, 4.3 and DOMAIN.md "RAG rules > Indicators": Green when the target is
    achieved or exceeded (exactly at the target is Green); Amber when short of the
    target but at or beyond the minimum standard (exactly at it is Amber); Red when
    short of the minimum standard, or short of the target with no minimum standard
    set; Grey (not rated) with no value or no target. "Short of" follows the polarity.

    Figures are compared as they are, never rounded first (29.6% has not achieved a target
    of 30%); the reason shows as many more decimal places as it takes to tell them apart,
    so it never reads "30% is below the target of 30%".
    `figure_label` names a figure that is not the period's own value ("year to date");
    `target_label` and the notes say when the target was pro-rated ("the target for the
    year to date", "6 of 12 months of 3,000"); the two `no_*_reason`s name the period.
    """
    if value is None or target is None:
        reasons = [no_value_reason] if value is None else []
        reasons += [no_target_reason] if target is None else []
        return Rag(GREY, " and ".join(reasons))

    value, target = _decimal(value), _decimal(target)
    minimum_standard = _decimal(minimum_standard)
    places = _places_to_tell_apart(value, [target, minimum_standard], decimal_places)

    def formatted(figure):
        return format_figure(figure, unit, places)

    figure = f"{figure_label} {formatted(value)}" if figure_label else formatted(value)
    target_words = f"{target_label} of {formatted(target)}{_note(target_note)}"
    if value == target:
        return Rag(GREEN, f"{figure} meets {target_words}")
    if _beyond(value, target, polarity):
        return Rag(GREEN, f"{figure} is {_words(polarity, better=True)} {target_words}")
    short_of_target = f"{figure} is {_words(polarity, better=False)} {target_words}"
    if minimum_standard is None:
        return Rag(RED, f"{short_of_target} and no minimum standard is set")
    minimum_words = f"{minimum_standard_label} of {formatted(minimum_standard)}{_note(minimum_standard_note)}"
    if value == minimum_standard or _beyond(value, minimum_standard, polarity):
        at_or_beyond = "at or above" if polarity == HIGHER else "at or below (no worse than)"
        return Rag(AMBER, f"{short_of_target} and {at_or_beyond} {minimum_words}")
    return Rag(RED, f"{short_of_target} and {_words(polarity, better=False)} {minimum_words}")


@dataclass(frozen=True)
class IndicatorSpec:
    """What `figures_for` needs to know of an indicator (the choices above)."""

    polarity: str
    frequency: str
    aggregation: str
    rated_figure: str
    unit: str
    decimal_places: int = 0

    def __post_init__(self):
        for name, choices in [
            ("polarity", POLARITY_CHOICES),
            ("frequency", FREQUENCY_CHOICES),
            ("aggregation", AGGREGATION_CHOICES),
            ("rated_figure", RATED_FIGURE_CHOICES),
            ("unit", UNIT_CHOICES),
        ]:
            if getattr(self, name) not in dict(choices):
                raise ValueError(f"An indicator's {name} is one of {', '.join(dict(choices))}, not {getattr(self, name)!r}")


@dataclass(frozen=True)
class TargetSpec:
    """An indicator's target and minimum standard for one financial year (DOMAIN.md glossary).

    `monthly_profile`: 12 weights, April first, saying how much of an annual target
    falls due in each month; None for evenly.
    """

    target: Decimal | None
    minimum_standard: Decimal | None = None
    monthly_profile: tuple | None = None

    def __post_init__(self):
        if self.monthly_profile is not None:
            object.__setattr__(self, "monthly_profile", tuple(_profile(self.monthly_profile)))


@dataclass(frozen=True)
class Figures:
    """Everything a dashboard row shows for an indicator when asked about a month."""

    period: object
    value: Decimal | None
    ytd: Decimal | None
    rolling_12: Decimal | None
    out_turn: Decimal | None
    target: Decimal | None
    minimum_standard: Decimal | None
    annual_target: Decimal | None
    annual_minimum_standard: Decimal | None
    rated_value: Decimal | None
    rag: Rag
    # How `target` was worked out from the year's when it is the year to date's share ("6 of 12 months of 1,200"); ""
    # when it is the year's target.
    target_note: str
    previous_period: object
    previous_value: Decimal | None
    direction: str | None
    last_year_period: object
    last_year_value: Decimal | None
    direction_on_last_year: str | None
    # The figure `previous_value` and `direction` compare: the rated figure, except for a
    # year-to-date sum (see `figures_for`).
    compared_figure: str


FIGURE_LABELS = {VALUE: "", YTD: "year to date", ROLLING12: "rolling 12 months"}


def pro_rated_note(annual, months_elapsed, profiled, unit, decimal_places):
    """How a year-to-date share of the year's target or minimum standard `annual` was worked out, in words:
    "6 of 12 months of 1,200", with ", by the monthly profile" when a profile spread it."""
    how = ", by the monthly profile" if profiled else ""
    return f"{months_elapsed} of 12 months of {format_figure(annual, unit, decimal_places)}{how}"
NO_TARGETS = TargetSpec(target=None)


def figures_for(spec, series, targets_by_year, month, memo=None):
    """The figures, target and RAG of an indicator asked about `month` (a `core.periods.Month`).

    The answering period is `period_for(spec.frequency, month)`; its target is the
    target of its financial year. A sum rated on its year to date is rated against
    the annual target pro-rated to the months from April to the end of that period.
    Readings for periods that end after `month` are left out, so the figures are
    those known at the end of `month`.

    Direction against the previous period compares the rated figure, except for a sum
    rated on its year to date: a running total grows every month and restarts in April,
    so there it compares the period's own value (DOMAIN.md: "the latest value against
    the previous one"). Against the same period last year it always compares the rated
    figure, which is like for like.
    """
    period = period_for(spec.frequency, month)
    # As it stood at the end of `month` (DOMAIN.md, "As at" a date): a later period's
    # figure, such as the rest of the year for the out-turn, is not known yet.
    # `memo`: a dict the caller keeps for one indicator's `series` while it asks about month after month
    # (state.refresh): a period's year to date and rolling 12 months read only periods up to it, so they are
    # the same whichever later month asks.
    memo = {} if memo is None else memo
    year = period.financial_year
    targets = targets_by_year.get(year) or NO_TARGETS
    annual_target, annual_minimum_standard = _decimal(targets.target), _decimal(targets.minimum_standard)
    target, minimum_standard = annual_target, annual_minimum_standard
    months_elapsed = months_elapsed_in_financial_year(period.end)
    labels = {}
    if spec.aggregation == SUM and spec.rated_figure == YTD and months_elapsed < 12:
        target = pro_rate(annual_target, months_elapsed, targets.monthly_profile)
        minimum_standard = pro_rate(annual_minimum_standard, months_elapsed, targets.monthly_profile)

        def note(annual):
            return pro_rated_note(annual, months_elapsed, bool(targets.monthly_profile), spec.unit, spec.decimal_places)

        labels = {
            "target_label": "the target for the year to date",
            "target_note": note(annual_target),
            "minimum_standard_label": "the minimum standard for the year to date",
            "minimum_standard_note": note(annual_minimum_standard),
        }

    rated_value = _figure(spec, series, period, spec.rated_figure, memo)
    rag = rate(
        rated_value,
        target,
        minimum_standard,
        spec.polarity,
        spec.unit,
        spec.decimal_places,
        figure_label=FIGURE_LABELS[spec.rated_figure],
        # Only a missing figure needs the reason why (it names the missing periods: a walk over them).
        no_value_reason=_no_value_reason(spec, series, period) if rated_value is None else "",
        no_target_reason=f"no target is set for {year.label}",
        **labels,
    )

    compared_figure = VALUE if spec.aggregation == SUM and spec.rated_figure == YTD else spec.rated_figure
    previous_period = period.shift(-1)
    previous_value = _figure(spec, series, previous_period, compared_figure, memo)
    last_year_period = period.shift(-PERIODS_IN_A_YEAR[period.kind])
    last_year_value = _figure(spec, series, last_year_period, spec.rated_figure, memo)
    return Figures(
        period=period,
        value=_value(series, period),
        ytd=_figure(spec, series, period, YTD, memo),
        rolling_12=_figure(spec, series, period, ROLLING12, memo),
        # As it stood at the end of `month` (DOMAIN.md, "As at" a date): the rest of the year is not known yet.
        out_turn=_out_turn_known_by(spec, series, year, month),
        target=target,
        minimum_standard=minimum_standard,
        annual_target=annual_target,
        annual_minimum_standard=annual_minimum_standard,
        rated_value=rated_value,
        rag=rag,
        # Only where the share differs from the year's target: a profile may have the whole year due by then.
        target_note=labels["target_note"] if labels and target != annual_target else "",
        previous_period=previous_period,
        previous_value=previous_value,
        direction=direction(
            _figure(spec, series, period, compared_figure, memo), previous_value, spec.polarity, spec.decimal_places
        ),
        last_year_period=last_year_period,
        last_year_value=last_year_value,
        direction_on_last_year=direction(rated_value, last_year_value, spec.polarity, spec.decimal_places),
        compared_figure=compared_figure,
    )


TREND_MONTHS = 12


@functools.lru_cache(maxsize=4096)
def trend_months(frequency, month, months=TREND_MONTHS):
    """The `months` months to `month` (the first days), grouped by the period of `frequency` answering for them,
    oldest period first: a trend has one point a group. A quarterly indicator answers three months with the same
    quarter, so its 12 months have 4 or 5 points, an annual one's 1 or 2."""
    grouped = {}
    for back in range(months - 1, -1, -1):
        each = month.shift(-back)
        grouped.setdefault(period_for(frequency, each), []).append(each.start)
    return tuple(tuple(grouped[period]) for period in sorted(grouped))


def trend(rated_by_month, frequency, month):
    """The rated figure of each period answering in the 12 months to `month`, oldest first (a dashboard's
    sparkline): `rated_by_month` maps a month's first day to the rated figure stored for it. A period's point is
    that of the last of its months with a figure; None where none of them has one (a gap)."""
    points = []
    for group in trend_months(frequency, month):
        point = None
        for each in group:
            if each in rated_by_month:
                point = rated_by_month[each]
        points.append(point)
    return tuple(points)


def _figure(spec, series, period, which, memo):
    key = (which, period)
    if key not in memo:
        if which == YTD:
            memo[key] = year_to_date(series, period, spec.aggregation, spec.unit)
        elif which == ROLLING12:
            memo[key] = rolling_12_months(series, period, spec.aggregation, spec.unit)
        else:
            memo[key] = _value(series, period)
    return memo[key]


def _out_turn_known_by(spec, series, year, month):
    if year.end > month.end:  # the year's last period ends with it
        return None
    return out_turn(series, year, spec.frequency, spec.aggregation, spec.unit)


def _no_value_reason(spec, series, period):
    """Why the rated figure is missing, naming the periods that are (DOMAIN.md: the reason is always given)."""
    if spec.rated_figure == VALUE or period.kind == "year" or (spec.rated_figure == YTD and spec.aggregation == LATEST):
        return f"no value has been reported for {period.name}"
    name, periods = {
        YTD: ("year to date", year_so_far(period)),
        ROLLING12: ("rolling 12 months", rolling_12_periods(period)),
    }[spec.rated_figure]
    missing = missing_periods(series, periods, spec.aggregation)
    if not missing:
        return f"no {name} figure for {period.name}: the denominators add up to 0"
    what = "no numerator and denominator have" if spec.aggregation == RATIO else "no value has"
    return f"no {name} figure for {period.name}: {what} been reported for {_names(missing)}"


def _names(periods, most=3):
    names = [period.name for period in periods]
    if len(names) > most:
        return f"{', '.join(names[:most])} and {len(names) - most} more"
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _value(series, period):
    reading = series.get(period)
    return None if reading is None else _decimal(reading.value)


def _places_to_tell_apart(value, bounds, decimal_places, most=6):
    """The decimal places that show `value` apart from each bound it differs from (at least `decimal_places`)."""
    places = decimal_places
    while places < most and any(
        bound is not None and bound != value and rounded(bound, places) == rounded(value, places) for bound in bounds
    ):
        places += 1
    return places


def _beyond(value, bound, polarity):
    """Better than `bound` by the polarity."""
    return value > bound if polarity == HIGHER else value < bound


def _words(polarity, better):
    # Plain words for lower-is-better, where "above" is worse (DOMAIN.md, "RAG rules > Indicators").
    if polarity == HIGHER:
        return "above" if better else "below"
    return "below (better than)" if better else "above (worse than)"


def _note(note):
    return f" ({note})" if note else ""


EXPONENTS = {places: Decimal(1).scaleb(-places) for places in range(7)}


def rounded(value, decimal_places):
    """A figure as it is shown: rounded half up to `decimal_places`."""
    exponent = EXPONENTS.get(decimal_places) or Decimal(1).scaleb(-decimal_places)
    result = value.quantize(exponent, rounding=ROUND_HALF_UP)
    return result.copy_abs() if result.is_zero() else result  # never "-0.0%"


def _profile(profile):
    weights = [_decimal(weight) for weight in profile]
    if len(weights) != 12 or any(weight is None or weight < 0 for weight in weights) or sum(weights) == 0:
        raise ValueError(f"A monthly profile is 12 weights, April first, not all 0 and none negative: {profile!r}")
    return weights


def _decimal(number):
    if number is None or isinstance(number, Decimal):
        return number
    # Through str so that 0.1 is 0.1, not the binary fraction a float holds.
    return Decimal(str(number)) if isinstance(number, float) else Decimal(number)
