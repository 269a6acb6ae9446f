"""The reads of the performance pages: the dashboard of indicators as at a month, one indicator's
page, and the counts on a manager's home page.

Everything reads the stored figures (`state.py` keeps one `Figure` row per indicator and month), so
each read is a fixed number of queries whatever the number of indicators and readings: the
dashboard joins each indicator to its figure of the month (a FilteredRelation), counts and pages in
SQL, and draws each sparkline from the trend stored with that figure.

Who sees which indicators (`visible_indicators`), kept simple on purpose:
- admins see every indicator;
- managers the indicators of the units they answer for (`roles.managed_unit_ids`: their unit and
  every unit below it);
- officers the indicators of their own unit and the units below it (`roles.own_unit_ids`);
- anyone the indicators they are the accountable manager for (`accountable__user`), wherever they sit;
- an indicator with no organisation unit belongs to no division, so only admins and the managers of
  a directorate (a unit with no parent) see it.
"""

from collections import namedtuple
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, FilteredRelation, Func, IntegerField, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from actionplans.models import Action
from core import roles
from core.models import OrganisationUnit
from core.pagination import CountedPaginator
from core.periods import FinancialYear, Month, parse_period
from core.queries import Compiled
from core.rag import AMBER, COLOUR_LABELS, GREEN, GREY, RED, Rag

from . import charts, figures, state
from .models import (
    Benchmark, Figure, Indicator, Reading, Target, period_of, trend_for_drawing, trend_points, trend_text,
)

INDICATORS_PER_PAGE = 100
# The colours an indicator can have (seed 001, 4.3), worst first as committee papers list them; no Blue.
INDICATOR_COLOURS = (RED, AMBER, GREEN, GREY)
RATED_FIGURE_LABELS = {figures.VALUE: "value", figures.YTD: "YTD", figures.ROLLING12: "rolling 12"}
RATED_FIGURE_NAMES = {figures.VALUE: "Value", figures.YTD: "Year to date", figures.ROLLING12: "Rolling 12 months"}
NO_DOMAIN = "Other indicators"


def no_figures_reason(month):
    """Why an indicator with no stored figure for `month` is not rated: no period of it had ended with a reading."""
    return f"no value has been reported by {month.name}"


# --- Who sees what -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sight:
    """Which indicators a user sees (the rule in the module docstring), as the values a compiled query takes:
    `user_id` None for everyone (an admin), `units` the units whose indicators they see (None for none of them),
    `unowned` whether they see the indicators with no unit; `nothing` for an account that may see none."""

    user_id: int | None = None
    units: list | None = None
    unowned: bool = False
    nothing: bool = False


def sight_of(user):
    if roles.is_admin(user):
        return Sight()
    if not roles.is_active(user):
        return Sight(nothing=True)
    manager = roles.is_manager(user)
    units = roles.managed_unit_ids(user) if manager else roles.own_unit_ids(user)
    profile = roles.profile_of(user)
    unowned = bool(manager and profile.unit_id and profile.unit.parent_id is None)
    return Sight(user.pk, sorted(units) or None, unowned)


def _seen(queryset, user_id, units, unowned):
    """`queryset` narrowed to what a Sight of these values sees."""
    if user_id is None:
        return queryset
    rule = Q(accountable__user_id=user_id)
    if units is not None:
        rule |= Q(unit_owner_id__in=units)
    if unowned:
        rule |= Q(unit_owner__isnull=True)
    return queryset.filter(rule)


def visible_indicators(user, queryset=None):
    """`queryset` (every indicator when None) narrowed to those `user` may see: the rule in the module docstring."""
    queryset = Indicator.objects.all() if queryset is None else queryset
    sight = sight_of(user)
    return queryset.none() if sight.nothing else _seen(queryset, sight.user_id, sight.units, sight.unowned)


# --- Months that can be shown --------------------------------------------------------------------


@dataclass(frozen=True)
class MonthChoice:
    """The month a page shows, the months it could show (newest first), and what is wrong with the one asked for."""

    month: Month | None
    months: tuple = ()
    error: str = ""
    asked: str = ""  # the text asked for, to show back in the field


# Two reads of the month index, each a subquery of one query (a round trip fewer), not MIN and MAX: SQLite reads a
# whole table for those two together. Compiled once: on every page with a month to choose.
_MONTH_RANGE = Compiled(
    lambda: Figure.objects.order_by().annotate(
        first=Subquery(Figure.objects.order_by("month").values("month")[:1]),
        last=Subquery(Figure.objects.order_by("-month").values("month")[:1]),
    ).values_list("first", "last")[:1],
    takes_value=False,
)


def available_months():
    """From the earliest stored figure's month up to the latest (the horizon), newest first."""
    found = _MONTH_RANGE.rows()
    if not found:
        return ()
    [[first, last]] = found
    newest, oldest = Month.of(last), Month.of(first)
    count = (newest.year - oldest.year) * 12 + newest.month - oldest.month + 1
    return tuple(newest.shift(-back) for back in range(count))


_LATEST_WITH_VALUE = Compiled(
    lambda user_id, units, unowned: Figure.objects.filter(
        indicator__in=_seen(Indicator.objects.all(), user_id, units, unowned), value__isnull=False
    ).order_by("-month").values_list("month")[:1]
)


def latest_reported_month(user):
    """The latest month in which an indicator `user` sees has a value ("the latest with data"); None if none has.

    Not the horizon: a manager whose indicators stopped in 2010 is shown 2010, not a month all grey for them."""
    sight = sight_of(user)
    found = [] if sight.nothing else _LATEST_WITH_VALUE.rows(sight.user_id, sight.units, unowned=sight.unowned)
    return Month.of(found[0][0]) if found else None


def choose_month(text, user=None):
    """The month `text` (YYYY-MM) names; when it is blank, the latest with data for `user` (else the horizon).
    An unreadable month, a quarter or a year, or a month with no figures is an error in words, never a silent
    fall-back to another month."""
    months = available_months()
    text = (text or "").strip()
    if not text:
        latest = latest_reported_month(user) if user is not None and months else None
        return MonthChoice(latest or (months[0] if months else None), months)
    shown = text if len(text) <= 20 else text[:20] + "…"
    try:
        month = parse_period(text)
    except ValueError:
        return MonthChoice(None, months, f"Enter a month as a year and month, like 2013-09 (you entered “{shown}”)", text)
    if not isinstance(month, Month):
        return MonthChoice(None, months, f"Enter a month, like 2013-09, not a quarter or a year (you entered “{shown}”)", text)
    if not months:
        return MonthChoice(None, months, f"There are no figures yet, so there are none for {month.name}", text)
    if month not in months:
        return MonthChoice(
            None, months,
            f"Choose a month from {months[-1].name} to {months[0].name}: there are no figures for {month.name}", text,
        )
    return MonthChoice(month, months, "", text)


# --- The dashboard ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RagCounts:
    """Indicators counted by colour at a month; one with no figure that month counts as Not rated."""

    red: int = 0
    amber: int = 0
    green: int = 0
    grey: int = 0

    @property
    def total(self):
        return self.red + self.amber + self.green + self.grey

    @property
    def tiles(self):
        """(colour, label, count), worst first."""
        return [(colour, COLOUR_LABELS[colour], getattr(self, colour)) for colour in INDICATOR_COLOURS]


def _format(value, unit, decimal_places):
    return figures.format_figure(value, unit, decimal_places)


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator on the dashboard as at a month (its stored Figure of that month)."""

    pk: int
    code: str
    name: str
    unit: str
    decimal_places: int
    polarity: str
    rated_figure: str
    domain: str
    period: object  # the Month, Quarter or FinancialYear answering for the month; None with no figure
    value: Decimal | None
    rated_value: Decimal | None
    target: Decimal | None
    minimum_standard: Decimal | None
    rag: Rag
    direction: str
    previous_period: object
    direction_on_last_year: str
    last_year_period: object
    target_note: str = ""  # how the target shown was worked out from the year's, when it is the year to date's share
    # The rated figure of each period in the last 12 months, oldest first, null for a gap, as `Figure.trend` stores
    # it (models.trend_text); `trend` reads it.
    trend_text: str = ""
    sparkline_geometry: str | None = None  # the sparkline's, as `Figure.sparkline` keeps it; None: placed when drawn

    @property
    def trend(self):
        """The rated figure of each period in the last 12 months, oldest first; None for a gap."""
        return trend_points(self.trend_text)

    def _text(self, value):
        return _format(value, self.unit, self.decimal_places)

    @property
    def value_text(self):
        return self._text(self.value)

    @property
    def rated_text(self):
        return self._text(self.rated_value)

    @property
    def rated_label(self):
        return RATED_FIGURE_LABELS[self.rated_figure]

    @property
    def target_text(self):
        return "no target" if self.target is None else self._text(self.target)

    @property
    def minimum_standard_text(self):
        return "none set" if self.minimum_standard is None else self._text(self.minimum_standard)

    @property
    def pro_rated(self):
        """How the target shown was worked out from the annual one, in words; "" when it is the annual target."""
        return f"year to date: {self.target_note}" if self.target_note else ""

    @property
    def arrow(self):
        return _arrow(self.direction, self.polarity)

    @property
    def direction_words(self):
        return _direction_words(self.direction, self.previous_period)

    @property
    def direction_on_last_year_words(self):
        return _direction_words(self.direction_on_last_year, self.last_year_period) if self.direction_on_last_year else ""

    @property
    def sparkline(self):
        return charts.sparkline(
            trend_for_drawing(self.trend_text), self.polarity, unit=self.unit, decimal_places=self.decimal_places,
            geometry=self.sparkline_geometry,
        )


def _arrow(direction, polarity):
    """Which way the figure moved: up or down; the words beside it say whether that is better."""
    if direction == figures.SAME:
        return "→"
    if direction not in (figures.BETTER, figures.WORSE):
        return ""
    went_up = (direction == figures.BETTER) == (polarity == figures.HIGHER)
    return "↑" if went_up else "↓"


def _direction_words(direction, period):
    if not direction or period is None:
        return "no earlier figure to compare"
    if direction == figures.SAME:
        return f"no change since {period.name}"
    return f"{direction} than {period.name}"


@dataclass(frozen=True)
class DomainGroup:
    name: str
    rows: tuple


@dataclass(frozen=True)
class Dashboard:
    month: Month | None
    months: tuple
    counts: RagCounts
    groups: tuple
    page: object  # a django.core.paginator.Page of the rows' values, for includes/pagination.html

    @property
    def count(self):
        return self.page.paginator.count if self.page is not None else 0


_DOMAINS = Compiled(
    lambda user_id, units, unowned: _seen(Indicator.objects.all(), user_id, units, unowned)
    .order_by("domain").values_list("domain").annotate(n=Count("pk"))
)


def domain_counts(user):
    """[(domain, how many indicators)] of the indicators `user` sees, by domain: the filter's choices, and for an
    admin the count of every indicator the dashboard's tiles need (a query fewer)."""
    sight = sight_of(user)
    return [] if sight.nothing else [tuple(row) for row in _DOMAINS.rows(sight.user_id, sight.units, unowned=sight.unowned)]


def domains_of(user):
    """The domains of the indicators `user` sees, in order, for the filter."""
    return [domain for domain, _ in domain_counts(user)]


def filtered_indicators(user, unit=None, domain="", rag="", month=None):
    """The indicators `user` sees, of `unit` and the units below it, of `domain`, and rated `rag` at
    `month` (the dashboard's filters, for its download)."""
    sight = sight_of(user)
    if sight.nothing:
        return Indicator.objects.none()
    indicators = _narrowed(*_filter_values(sight, unit, domain), sight.unowned)
    if rag and month is not None:
        # A subquery, so that whoever reads these can join the figures of the month again.
        indicators = indicators.filter(pk__in=of_colour(with_figure_at(Indicator.objects.all(), month), rag).values("pk"))
    return indicators


def with_figure_at(indicators, month):
    """`indicators` each joined to its stored Figure of `month` (at most one: one figure a month), as `at`,
    with `colour` its RAG colour or Not rated when there is no figure that month."""
    return _at(indicators, month.start)


def _at(indicators, day):
    return indicators.annotate(
        at=FilteredRelation("figures", condition=Q(figures__month=day)),
        colour=Coalesce(F("at__rag_colour"), Value(GREY)),
    )


def of_colour(indicators, colour):
    """`indicators` (joined by `with_figure_at`) rated `colour` at the month. Red, Amber or Green is the figure's own
    colour: the databases' planners read the page's figures one by one in the dashboard's order then, rather than
    every figure of the month to sort them (PostgreSQL: 1.6 ms rather than 7.7 for the first 100 Red of 2,000)."""
    if colour == GREY:
        return indicators.filter(colour=GREY)  # with no figure that month too
    # Through an alias: filter(at__rag_colour=…) would join the month's figures a second time.
    return indicators.alias(figure_colour=F("at__rag_colour")).filter(figure_colour=colour)


# Every indicator (an admin's whole list): the month's figures are counted from the (month, colour) index, and those
# with no figure are the rest. Joining 2,000 indicators to their figure read every figure's row. COUNT(*): counting
# their ids had PostgreSQL read every figure of the month, not only the index (4 ms, not 0.4). A compiled query cannot
# be Django's aggregate(), and Count() in values would group by every column: the indicators are counted with SQL's
# COUNT as a plain function, which Django does not group by.
_MONTH_COLOURS = Compiled(
    lambda day: Figure.objects.filter(month=day).order_by().values_list("rag_colour").annotate(n=Count("*"))
)
_INDICATOR_COUNT = Compiled(
    lambda: Indicator.objects.order_by().annotate(n=Func(template="COUNT(*)", output_field=IntegerField())).values_list("n"),
    takes_value=False,
)


def _tiles(day, values, unowned, domains=None):
    """The indicators of `_narrowed`'s values counted by colour at `day` (the dashboard's tiles, the home page's
    counts), in one query, grouped by colour rather than a filtered count a colour; every indicator in two (one
    when `domains`, from `domain_counts`, gives their number)."""
    if values == (None, None, None, None):
        return _every_indicator_counted(day, sum(n for _, n in domains) if domains is not None else None)
    by_colour = dict(map(tuple, _COLOURS.rows(day, *values, unowned=unowned)))
    return RagCounts(**{colour: by_colour.get(colour, 0) for colour in INDICATOR_COLOURS})


def _every_indicator_counted(day, every=None):
    """RagCounts of every indicator at `day`; `every`: how many indicators there are, when known."""
    by_colour = dict(map(tuple, _MONTH_COLOURS.rows(day)))
    counted = {colour: by_colour.get(colour, 0) for colour in (RED, AMBER, GREEN)}
    if every is None:
        [[every]] = _INDICATOR_COUNT.rows()
    return RagCounts(**counted, grey=every - sum(counted.values()))


ROW_FIELDS = (
    "pk", "code", "name", "unit", "decimal_places", "polarity", "frequency", "aggregation", "rated_figure", "domain",
    "at__period_start", "at__value", "at__rated_value", "at__target", "at__minimum_standard", "at__target_note",
    "at__rag_colour", "at__rag_reason", "at__direction", "at__direction_on_last_year", "at__trend", "at__sparkline",
    "colour",
)


def _filter_values(sight, unit, domain):
    """The values `_narrowed` takes for `sight` and the dashboard's unit and domain filters."""
    subtree = sorted(OrganisationUnit.objects.subtree_ids(unit)) if unit else None
    return sight.user_id, sight.units, subtree, domain or None


def _narrowed(user_id, units, subtree, domain, unowned):
    """The indicators a Sight of these values sees, of the units `subtree` and of `domain` when given: the
    dashboard's filters but its colour."""
    indicators = _seen(Indicator.objects.all(), user_id, units, unowned)
    if subtree is not None:
        indicators = indicators.filter(unit_owner_id__in=subtree)
    if domain is not None:
        indicators = indicators.filter(domain=domain)
    return indicators


def _chosen(day, user_id, units, subtree, domain, unowned):
    """`_narrowed`, each indicator joined to its figure of `day`."""
    return _at(_narrowed(user_id, units, subtree, domain, unowned), day)


def _board_page(day, user_id, units, subtree, domain, colour, *, unowned, grey, first, last):
    """Rows `first` to `last` (ROW_FIELDS) of the dashboard's indicators, rated `colour` (or Not rated, `grey`)."""
    shown = _chosen(day, user_id, units, subtree, domain, unowned)
    if grey:
        shown = of_colour(shown, GREY)
    elif colour is not None:
        shown = of_colour(shown, colour)
    return shown.order_by("domain", "code").values_list(*ROW_FIELDS)[first:last]


# The dashboard's reads, compiled once for each kind of user and set of filters (core.queries): built with the ORM
# on every request, its counts and its page of rows cost more than the database took to answer them.
_COLOURS = Compiled(
    lambda day, user_id, units, subtree, domain, unowned: _chosen(day, user_id, units, subtree, domain, unowned)
    .order_by().values_list("colour").annotate(n=Count("pk"))
)
_BOARD_PAGE = Compiled(_board_page)


class _BoardRows:
    """The dashboard's rows as the paginator slices them: each page read with the compiled query."""

    def __init__(self, day, values, unowned, colour):
        self.day, self.values, self.unowned, self.colour = day, values, unowned, colour

    def __getitem__(self, window):
        if window.stop <= window.start:
            return []  # the one page of no rows
        grey = self.colour == GREY
        rows = _BOARD_PAGE.rows(
            self.day, *self.values, None if grey else (self.colour or None),
            unowned=self.unowned, grey=grey, first=window.start, last=window.stop,
        )
        return [dict(zip(ROW_FIELDS, row)) for row in rows]


def dashboard(user, month, unit=None, domain="", rag="", page=1, months=None, domains=None):
    """The dashboard as at `month` of the indicators `user` sees, narrowed to `unit` (and the units below
    it), `domain` and `rag` (a colour; "grey" also takes those with no figure that month).

    The RAG tiles count the indicators of the unit and domain whatever `rag` is, so that each tile can
    link to its colour. `months` (from `choose_month`) and `domains` (from `domain_counts`) save reading them again.
    """
    months = available_months() if months is None else months
    sight = sight_of(user)
    if month is None or sight.nothing:
        return Dashboard(month, months, RagCounts(), (), None)
    values = _filter_values(sight, unit, domain)
    counts = _tiles(month.start, values, sight.unowned, domains)
    # The tiles have counted the rows already: the paginator need not count them again.
    count = counts.total if not rag else getattr(counts, rag, 0)
    paginator = CountedPaginator(_BoardRows(month.start, values, sight.unowned, rag), INDICATORS_PER_PAGE, count)
    current = paginator.get_page(page)
    rows = [_row(row, month) for row in current.object_list]
    groups = []
    for row in rows:
        name = row.domain or NO_DOMAIN
        if groups and groups[-1][0] == name:
            groups[-1][1].append(row)
        else:
            groups.append((name, [row]))
    return Dashboard(
        month, months, counts, tuple(DomainGroup(name, tuple(group)) for name, group in groups), current
    )


def report_rows(indicators, month):
    """Every row of `indicators` at `month` in the dashboard's order, unpaged, for the committee report: one query
    (the indicators with their stored figures of the month) whatever their number."""
    rows = with_figure_at(indicators, month).order_by("domain", "code").values(*ROW_FIELDS)
    return [_row(values, month) for values in rows]


def _trend_text(values, month):
    """The rated figure of each period answering in the 12 months to `month`, oldest first, as stored with the
    month's figure (`Figure.trend`); all gaps when the indicator has no figure that month (nor any before it)."""
    if values["at__period_start"] is None:
        return trend_text((None,) * len(figures.trend_months(values["frequency"], month)))
    return values["at__trend"]


def _row(values, month, trend=None):
    """An IndicatorRow of `values` (ROW_FIELDS) as at `month`; `trend`: its sparkline's figures, when not stored."""
    has_figure = values["at__period_start"] is not None
    period = period_of(values["frequency"], values["at__period_start"]) if has_figure else None
    if has_figure:
        rag = Rag(values["at__rag_colour"], values["at__rag_reason"])
    else:
        rag = Rag(GREY, no_figures_reason(month))
    last_year = None
    if period is not None:
        last_year = period.shift(-figures.PERIODS_IN_A_YEAR[period.kind])
    return IndicatorRow(
        pk=values["pk"], code=values["code"], name=values["name"], unit=values["unit"],
        decimal_places=values["decimal_places"], polarity=values["polarity"], rated_figure=values["rated_figure"],
        domain=values["domain"], period=period, value=values["at__value"], rated_value=values["at__rated_value"],
        target=values["at__target"], minimum_standard=values["at__minimum_standard"], rag=rag,
        direction=values["at__direction"] or "", previous_period=period.shift(-1) if period else None,
        direction_on_last_year=values["at__direction_on_last_year"] or "", last_year_period=last_year,
        target_note=values["at__target_note"] or "",
        trend_text=_trend_text(values, month) if trend is None else trend_text(trend),
        sparkline_geometry=values["at__sparkline"] if has_figure and trend is None else None,
    )


# --- The home page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeSummary:
    month: Month
    counts: RagCounts


def summary_for_home(user):
    """The RAG counts of the latest month with data over the indicators `user` sees; None with no figures."""
    month = latest_reported_month(user)
    if month is None:
        return None  # none of their indicators has a value yet: the page says so
    sight = sight_of(user)
    return HomeSummary(month, _tiles(month.start, _filter_values(sight, None, ""), sight.unowned))


# --- One indicator's page -------------------------------------------------------------------------


def plain_number(value):
    """A stored figure without its padding zeros (27.000000 is 27, 27.500000 is 27.5); None stays None.

    Never in exponent form: Decimal's normalize() makes 1500 "1.5E+3", which a spreadsheet may not read."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


@dataclass(frozen=True)
class Shown:
    """A row of figures in an indicator's unit, with each figure's text as people read it ("27.0%")."""

    unit: str
    decimal_places: int

    def _text(self, value, missing="no value"):
        return missing if value is None else _format(value, self.unit, self.decimal_places)


@dataclass(frozen=True)
class ReadingRow(Shown):
    period: object
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    provisional: bool
    note: str

    @property
    def value_text(self):
        return self._text(self.value)

    @property
    def numerator_text(self):
        return "" if self.numerator is None else f"{plain_number(self.numerator):,}"

    @property
    def denominator_text(self):
        return "" if self.denominator is None else f"{plain_number(self.denominator):,}"


@dataclass(frozen=True)
class TargetRow(Shown):
    year: object
    target: Decimal | None
    minimum_standard: Decimal | None
    profiled: bool

    @property
    def target_text(self):
        return self._text(self.target, "not set")

    @property
    def minimum_standard_text(self):
        return self._text(self.minimum_standard, "not set")


@dataclass(frozen=True)
class PeriodRow(Shown):
    """One period of the chart and its data table: the figures stored for the first month it answered."""

    period: object
    value: Decimal | None
    ytd: Decimal | None
    rolling_12: Decimal | None
    rated_value: Decimal | None
    target: Decimal | None
    minimum_standard: Decimal | None
    rag: Rag

    @property
    def value_text(self):
        return self._text(self.value)

    @property
    def rated_text(self):
        return self._text(self.rated_value)

    @property
    def target_text(self):
        return self._text(self.target, "not set")

    @property
    def minimum_standard_text(self):
        return self._text(self.minimum_standard, "not set")


@dataclass(frozen=True)
class BenchmarkRow(Shown):
    name: str
    value: Decimal | None
    rank: int | None  # None: no value to rank
    is_home: bool = False

    @property
    def value_text(self):
        return self._text(self.value)


@dataclass(frozen=True)
class BenchmarkTable:
    period: object
    rows: tuple


@dataclass(frozen=True)
class ActionRow:
    pk: int
    number: str
    text: str
    plan: str
    rag: Rag
    url: str


@dataclass(frozen=True)
class IndicatorPage:
    indicator: Indicator
    month: Month | None
    current: IndicatorRow | None  # the figures as at `month`, as the dashboard shows them
    readings: tuple
    targets: tuple
    periods: tuple
    benchmarks: BenchmarkTable | None
    actions: tuple

    @property
    def rated_figure_name(self):
        return RATED_FIGURE_NAMES[self.indicator.rated_figure]

    @property
    def shows_rated_column(self):
        """Whether the table needs a column for the rated figure: it is the period's value otherwise."""
        return self.indicator.rated_figure != figures.VALUE

    @property
    def is_ratio(self):
        return self.indicator.aggregation == figures.RATIO

    @property
    def chart(self):
        indicator = self.indicator
        return charts.line_chart(
            [(row.period.label, row.rated_value) for row in self.periods],
            [row.target for row in self.periods],
            [row.minimum_standard for row in self.periods],
            indicator.unit, indicator.decimal_places,
            f"{indicator.code} {indicator.name}: {self.rated_figure_name.lower()} by period",
            value_label=self.rated_figure_name, breaks=self.year_starts if indicator.rated_figure == figures.YTD else (),
        )

    @property
    def year_starts(self):
        """The indexes of the periods that begin a financial year (after the first period shown)."""
        return {
            index for index, row in enumerate(self.periods)
            if index and row.period.financial_year != self.periods[index - 1].period.financial_year
        }


def indicator_page(indicator, month=None):
    """Everything the indicator page shows as at `month` (the horizon when None): its readings, targets,
    figures period by period for the chart, the latest benchmarking, and the actions linked to it.

    A fixed number of queries (one for each list) whatever the length of its history."""
    month = month or state.latest_month()
    shown = (indicator.unit, indicator.decimal_places)
    day = month.start if month is not None else None
    reading_rows = []
    for period_start, value, numerator, denominator, provisional, note in _READINGS.rows(indicator.pk, day):
        period = indicator.period_of(period_start)
        # A quarter or a year that has not ended by the month is not known yet (DOMAIN.md "As at" a date).
        if month is None or period.end <= month.end:
            reading_rows.append(ReadingRow(*shown, period, value, numerator, denominator, provisional, note))
    reading_rows = tuple(reading_rows)
    target_rows = tuple(
        TargetRow(*shown, FinancialYear(year), target, minimum_standard, bool(profile))
        for year, target, minimum_standard, profile in _TARGETS.rows(indicator.pk)
    )
    periods, current = {}, None
    for figure in map(_StoredFigure._make, _FIGURES.rows(indicator.pk, day)):
        period = indicator.period_of(figure.period_start)
        # A quarterly or annual indicator answers several months with one period: its first month stands for it.
        if period not in periods:
            periods[period] = PeriodRow(
                *shown, period, figure.value, figure.ytd, figure.rolling_12, figure.rated_value, figure.target,
                figure.minimum_standard, Rag(figure.rag_colour, figure.rag_reason),
            )
        if month is not None and figure.month == month.start:
            current = figure
    current_row = _current_row(indicator, month, current) if month is not None else None
    return IndicatorPage(
        indicator=indicator, month=month, current=current_row, readings=reading_rows, targets=target_rows,
        periods=tuple(periods[period] for period in sorted(periods)),
        benchmarks=_benchmarks(indicator, month, {row.period.start: row.value for row in reading_rows}),
        actions=_actions(indicator),
    )


# The stored figures of the month the indicator page shows, as the dashboard's row reads them.
CURRENT_FIELDS = (
    "period_start", "value", "rated_value", "target", "minimum_standard", "target_note", "rag_colour", "rag_reason",
    "direction", "direction_on_last_year",
)
_StoredFigure = namedtuple("_StoredFigure", (*CURRENT_FIELDS, "ytd", "rolling_12", "month"))


def _as_at(rows, day, field):
    """`rows` up to `day` by `field` (every row when `day` is None), for a compiled query."""
    return rows if day is None else rows.filter(**{f"{field}__lte": day})


# The indicator page's lists, by the indicator's id (and the month shown), each with a query compiled once
# (core.queries): built with the ORM on every request, these five cost more than the database took to answer them.
_READINGS = Compiled(lambda pk, day: _as_at(Reading.objects.filter(indicator_id=pk), day, "period_start").order_by(
    "period_start").values_list("period_start", "value", "numerator", "denominator", "provisional", "note"))
_TARGETS = Compiled(lambda pk: Target.objects.filter(indicator_id=pk).order_by("financial_year").values_list(
    "financial_year", "target", "minimum_standard", "monthly_profile"))
_FIGURES = Compiled(lambda pk, day: _as_at(Figure.objects.filter(indicator_id=pk), day, "month").order_by("month")
                    .values_list(*_StoredFigure._fields))
_BENCHMARKS = Compiled(lambda pk, day: _as_at(Benchmark.objects.filter(indicator_id=pk), day, "period_start")
                       .order_by().values_list("period_start", "comparator__name", "value"))
_ACTIONS = Compiled(lambda pk: Action.objects.filter(indicators=pk).order_by("plan__title", "sort_key").values_list(
    "pk", "number", "text", "plan__title", "rag_colour", "rag_reason"))


def _current_row(indicator, month, figure):
    values = {
        "pk": indicator.pk, "code": indicator.code, "name": indicator.name, "unit": indicator.unit,
        "decimal_places": indicator.decimal_places, "polarity": indicator.polarity,
        "frequency": indicator.frequency, "rated_figure": indicator.rated_figure, "domain": indicator.domain,
        "at__period_start": None, "at__value": None, "at__rated_value": None, "at__target": None,
        "at__minimum_standard": None, "at__target_note": "", "at__rag_colour": None, "at__rag_reason": None,
        "at__direction": "",
        "at__direction_on_last_year": "",
    }
    if figure is not None:
        values |= {f"at__{name}": getattr(figure, name) for name in CURRENT_FIELDS}
    return _row(values, month, ())


def _benchmarks(indicator, month, own_values):
    """The comparator councils' values for the latest period benchmarked (by `month`), with the council's
    own reading for that period beside them, ranked best first by the indicator's polarity."""
    # One query, every period's: an indicator has a few comparators a year, and the page stays one query
    # whether it has benchmarks or not.
    found = _BENCHMARKS.rows(indicator.pk, month.start if month is not None else None)
    if not found:
        return None
    latest = max(period_start for period_start, _, _ in found)
    rows = [(name, value, False) for period_start, name, value in found if period_start == latest]
    rows.append((settings.COUNCIL_NAME, own_values.get(latest), True))
    return BenchmarkTable(indicator.period_of(latest), tuple(rank(rows, indicator.polarity, indicator.unit, indicator.decimal_places)))


def rank(rows, polarity, unit, decimal_places):
    """BenchmarkRows of (name, value, is_home), best first by `polarity`; equal values as shown share a rank
    (1, 2, 2, 4), and a council with no value is listed last, unranked."""

    def shown(value):
        return figures.rounded(value, decimal_places)

    valued = sorted(
        (row for row in rows if row[1] is not None),
        key=lambda row: (-shown(row[1]) if polarity == figures.HIGHER else shown(row[1]), row[0]),
    )
    ranked, previous, place = [], None, 0
    for position, (name, value, is_home) in enumerate(valued, start=1):
        if previous is None or shown(value) != previous:
            place, previous = position, shown(value)
        ranked.append(BenchmarkRow(unit, decimal_places, name, value, place, is_home))
    ranked += [BenchmarkRow(unit, decimal_places, name, None, None, is_home) for name, value, is_home in rows if value is None]
    return ranked


def _actions(indicator):
    """The actions whose measurable indicator this is, with their stored RAG (`actionplans.state`)."""
    return tuple(
        ActionRow(pk, number, text, plan_title, Rag(colour, reason), reverse("action_detail", args=[pk]))
        for pk, number, text, plan_title, colour, reason in _ACTIONS.rows(indicator.pk)
    )
