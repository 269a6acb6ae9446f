"""Performance indicators, their targets and readings, comparator councils' figures, and the figures
stored for each indicator and month (`state.py` keeps them; `figures.py` is the rule)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from simple_history.models import HistoricalRecords

from actionplans.models import Action, Lead
from core.models import OrganisationUnit
from core.periods import ANNUAL, MONTHLY, QUARTERLY, FinancialYear, Month, Quarter, today
from core.rag import COLOUR_CHOICES, GREY, Rag
from core.spreadsheets import RowError

from . import figures

PERIOD_CLASSES = {MONTHLY: Month, QUARTERLY: Quarter, ANNUAL: FinancialYear}
# Readings and figures keep what a return gives: money to the penny, ratios to six places.
FIGURE = {"max_digits": 24, "decimal_places": 6, "null": True, "blank": True}


STORED_PLACES = Decimal(1).scaleb(-FIGURE["decimal_places"])
STORED_EXPONENT = -FIGURE["decimal_places"]


def stored_figure(number):
    """`number` as a figure column keeps it, six places; as written when it has no more than that ("100.1"
    stays), so that a file imported again, or a figure written without the ORM, compares equal."""
    if number is None or number.as_tuple().exponent >= STORED_EXPONENT:
        return number
    return number.quantize(STORED_PLACES)


def trend_text(points):
    """A trend (figures or None, oldest first) as `Figure.trend` keeps it: a JSON list of numbers and nulls,
    each number as written, never in exponent form ("[24.5,null,2400]")."""
    return "[" + ",".join(map(trend_point_text, points)) + "]"


def trend_point_text(number):
    """One figure of a `trend_text`: "null" for None."""
    if number is None:
        return "null"
    # normalize() drops a stored figure's padding zeros (2400.000000) but writes 2400 as 2.4E+3: {:f} writes it out.
    return f"{number.normalize():f}"


def trend_points(text):
    """The figures of a `trend_text`, as Decimals exactly as written; () for an empty text or list.

    Split rather than parsed as JSON (a JSON parser making Decimals took twice as long, a dashboard reads 100 a
    page): `trend_text` writes numbers and nulls only, with no spaces."""
    if len(text) <= 2:
        return ()
    return tuple([None if point == "null" else Decimal(point) for point in text[1:-1].split(",")])


def trend_for_drawing(text):
    """The figures of a `trend_text` as a sparkline draws them: as `trend_points`, but every figure between the
    first and the last is a float. A sparkline only places those; the first and the last are in its words, exact.
    (A dashboard draws a hundred; making each figure a Decimal, then a float to place it, was a tenth of its time.)"""
    if len(text) <= 2:
        return ()
    texts = text[1:-1].split(",")
    points = [None if point == "null" else float(point) for point in texts]
    known = [index for index, point in enumerate(points) if point is not None]
    if known:
        points[known[0]], points[known[-1]] = Decimal(texts[known[0]]), Decimal(texts[known[-1]])
    return tuple(points)


def period_of(frequency, start):
    """The period of an indicator of `frequency` that starts on `start`."""
    return PERIOD_CLASSES[frequency].of(start)


class IndicatorQuerySet(models.QuerySet):
    def with_periods(self):
        """Indicators with readings or benchmarks: their periods are dated by their frequency."""
        return self.filter(models.Q(Exists(Reading.objects.filter(indicator=OuterRef("pk"))))
                           | models.Q(Exists(Benchmark.objects.filter(indicator=OuterRef("pk")))))


def frequency_locked(indicator):
    return (
        f"{indicator.code} has readings or benchmarks for its {indicator.get_frequency_display().lower()} periods, "
        "so its frequency cannot change: give the new frequency to a new indicator"
    )


def reading_errors(indicator, period, fields, number=0, this_month=None):
    """What is wrong with a reading of `indicator` for `period` (RowErrors): a percentage outside 0–100, a
    numerator above its denominator, a period still to come. Data entry, import and admin share this rule.
    `this_month`: the month it is now, when the caller checks many readings at once."""
    errors = []
    value, numerator, denominator = fields.get("value"), fields.get("numerator"), fields.get("denominator")
    # A month's reading may come during the month; a quarter's or a year's once it has ended (seed 004's
    # year-end table reports a year after its March): never a period still to come.
    this_month = this_month or Month.of(today())
    if period.start > this_month.start:
        errors.append(RowError(number, "Period", f"{period.name} has not begun yet: a reading is for a period that has"))
    elif period.kind != "month" and period.end > this_month.end:
        errors.append(RowError(number, "Period", f"{period.name} has not ended yet: a reading is for a period that has"))
    if indicator.unit == figures.PERCENT and value is not None and not 0 <= value <= 100:
        errors.append(RowError(number, "Value", f"{value} is not a percentage from 0 to 100"))
    if (numerator is None) != (denominator is None):
        errors.append(RowError(number, "Numerator" if numerator is None else "Denominator",
                               "is needed too: give both the numerator and the denominator, or neither"))
    elif numerator is not None:
        if numerator < 0 or denominator < 0:
            errors.append(RowError(number, "Numerator", "a numerator and a denominator cannot be negative"))
        elif indicator.unit == figures.PERCENT and numerator > denominator:
            errors.append(RowError(number, "Numerator", f"{numerator} is more than its denominator of {denominator}"))
        elif denominator == 0 and numerator:
            errors.append(RowError(number, "Denominator", "is 0 while the numerator is not"))
        elif value is not None and denominator:
            errors.extend(_disagreeing_value(indicator, value, numerator, denominator, number))
    if value is None and numerator is None and denominator is None and "value" in fields:
        errors.append(RowError(number, "Value", "is empty: give a value, or a numerator and a denominator"))
    return errors


def _disagreeing_value(indicator, value, numerator, denominator, number):
    # A value printed beside its counts (70.4 for 1,922 of 2,730) is kept as written, but it must be theirs:
    # the rated value and the year to date combined from the counts may never tell different stories.
    worked_out = figures.ratio_value(numerator, denominator, indicator.unit)
    places = max(0, -value.normalize().as_tuple().exponent)  # as written: 70.400000 as stored is 70.4
    if figures.rounded(worked_out, places) != value:
        return [RowError(number, "Value", f"{value} is not what its numerator and denominator give "
                                              f"({numerator} of {denominator} is {round(worked_out, 2)})")]
    return []


class Indicator(models.Model):
    code = models.CharField(max_length=40, unique=True, help_text="As returns write it: NI 130, C72, ASCOF 1C")
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True, max_length=4000)
    unit = models.CharField(max_length=20, choices=figures.UNIT_CHOICES, default=figures.NUMBER)
    polarity = models.CharField(max_length=10, choices=figures.POLARITY_CHOICES, default=figures.HIGHER)
    frequency = models.CharField(max_length=10, choices=figures.FREQUENCY_CHOICES, default=MONTHLY)
    aggregation = models.CharField(max_length=10, choices=figures.AGGREGATION_CHOICES, default=figures.LATEST)
    rated_figure = models.CharField(
        max_length=10, choices=figures.RATED_FIGURE_CHOICES, default=figures.VALUE,
        help_text="Which figure is rated against the target",
    )
    decimal_places = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(3)])
    accountable = models.ForeignKey(
        Lead, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators",
        help_text="The accountable manager: they, their managers and admins enter its readings",
    )
    unit_owner = models.ForeignKey(
        OrganisationUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators",
        verbose_name="organisation unit",
    )
    domain = models.CharField(max_length=200, blank=True, help_text="The heading that groups it on a dashboard")
    strategic_link = models.CharField(max_length=500, blank=True, verbose_name="link to strategic priority")
    data_notes = models.TextField(blank=True, max_length=4000)
    actions = models.ManyToManyField(
        Action, blank=True, related_name="indicators", help_text="Actions whose measurable indicator this is"
    )

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["domain", "code"]
        # The dashboard's order, for a page of the whole list and for one unit's.
        indexes = [
            models.Index(fields=["domain", "code"], name="indicator_domain_code"),
            models.Index(fields=["unit_owner", "domain", "code"], name="indicator_unit_domain"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def spec(self):
        return figures.IndicatorSpec(
            polarity=self.polarity, frequency=self.frequency, aggregation=self.aggregation,
            rated_figure=self.rated_figure, unit=self.unit, decimal_places=self.decimal_places,
        )

    def period_of(self, start):
        return period_of(self.frequency, start)

    def clean(self):
        if self.aggregation == figures.RATIO and self.unit not in figures.RATIO_UNITS:
            raise ValidationError({"aggregation": figures.RATIO_UNITS_RULE[0].upper() + figures.RATIO_UNITS_RULE[1:] + "."})
        if self.pk:
            saved = Indicator.objects.filter(pk=self.pk).values_list("frequency", flat=True).first()
            if saved not in (None, self.frequency) and Indicator.objects.filter(pk=self.pk).with_periods().exists():
                self.frequency = saved  # the message names the frequency its periods have
                raise ValidationError({"frequency": frequency_locked(self)})


class Target(models.Model):
    """An indicator's target and minimum standard (the floor) for one financial year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    financial_year = models.PositiveSmallIntegerField(help_text="The year the financial year starts in: 2013 for 2013/14")
    target = models.DecimalField(**FIGURE)
    minimum_standard = models.DecimalField(**FIGURE)
    monthly_profile = models.JSONField(
        null=True, blank=True,
        help_text="Optional: 12 weights, April first, for how much of an annual target falls due each month",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "financial_year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "financial_year"], name="one_target_a_year")]

    def __str__(self):
        return f"{self.indicator.code} {self.year}"

    @property
    def year(self):
        return FinancialYear(self.financial_year)

    @property
    def spec(self):
        profile = tuple(self.monthly_profile) if self.monthly_profile else None
        return figures.TargetSpec(target=self.target, minimum_standard=self.minimum_standard, monthly_profile=profile)

    def clean(self):
        profile = self.monthly_profile
        if profile is not None:
            try:
                figures.TargetSpec(target=None, monthly_profile=tuple(profile))
            except (TypeError, ValueError) as error:
                raise ValidationError({"monthly_profile": str(error)}) from None


class Reading(models.Model):
    """An indicator's value for one period of its frequency (a month, a quarter or a financial year)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="readings")
    period_start = models.DateField(help_text="The first day of the month, quarter or financial year")
    value = models.DecimalField(**FIGURE)
    numerator = models.DecimalField(**FIGURE)
    denominator = models.DecimalField(**FIGURE)
    provisional = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=4000)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    entered_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period_start"], name="one_reading_a_period")]

    def __str__(self):
        return f"{self.indicator.code} {self.period}"

    @property
    def period(self):
        return self.indicator.period_of(self.period_start)

    def clean(self):
        """Admin's check of a reading: the rules the importer and data entry apply, and a period that starts
        where the indicator's periods start (a quarterly reading on 1 May would be a second Q1)."""
        if self.indicator_id is None or self.period_start is None:
            return
        period = self.period
        if period.start != self.period_start:
            raise ValidationError({"period_start": f"A {self.indicator.get_frequency_display().lower()} reading starts on "
                                                   f"the first day of its period: {period.start:%-d %B %Y} for {period.name}"})
        fields = {"value": self.value, "numerator": self.numerator, "denominator": self.denominator}
        problems = reading_errors(self.indicator, period, fields)
        if problems:
            raise ValidationError([problem.reason[0].upper() + problem.reason[1:] for problem in problems])

    def save(self, *args, **kwargs):
        # Entered as counts (in admin too): the value is worked out from them, as the importer and data entry do.
        if self.value is None and self.denominator:
            self.value = stored_figure(figures.ratio_value(self.numerator, self.denominator, self.indicator.unit))
        super().save(*args, **kwargs)



class Comparator(models.Model):
    """A council the directorate benchmarks itself against ("similar councils")."""

    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Benchmark(models.Model):
    """A comparator council's value of an indicator for a period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="benchmarks")
    comparator = models.ForeignKey(Comparator, on_delete=models.CASCADE, related_name="benchmarks")
    period_start = models.DateField()
    value = models.DecimalField(max_digits=24, decimal_places=6)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_start", "comparator"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "comparator", "period_start"], name="one_benchmark_a_period")
        ]

    @property
    def period(self):
        return self.indicator.period_of(self.period_start)


class Figure(models.Model):
    """An indicator's figures as at a month, worked out by `figures.figures_for` whenever its readings or
    targets change (`state.refresh`), so that a dashboard reads one row per indicator and never its history."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="figures")
    month = models.DateField(help_text="The first day of the month asked about")
    period_start = models.DateField(help_text="The first day of the period that answers for the month")
    value = models.DecimalField(**FIGURE)
    ytd = models.DecimalField(**FIGURE)
    rolling_12 = models.DecimalField(**FIGURE)
    out_turn = models.DecimalField(**FIGURE)
    target = models.DecimalField(**FIGURE)
    minimum_standard = models.DecimalField(**FIGURE)
    target_note = models.CharField(
        max_length=200, blank=True,
        help_text="How the target was worked out from the year's when it is the year to date's share, in words "
        "(figures.pro_rated_note): \"6 of 12 months of 1,200\"",
    )
    rated_value = models.DecimalField(**FIGURE)
    rag_colour = models.CharField(max_length=10, choices=COLOUR_CHOICES, default=GREY)
    rag_reason = models.CharField(max_length=1000)
    previous_value = models.DecimalField(**FIGURE)
    direction = models.CharField(max_length=10, blank=True)
    last_year_value = models.DecimalField(**FIGURE)
    direction_on_last_year = models.CharField(max_length=10, blank=True)
    trend = models.TextField(
        blank=True,
        help_text="The rated figure of each period answering in the 12 months to the month, oldest first, null for a "
        "gap (figures.trend; trend_text): the dashboard's sparkline, read with the row rather than from 12 months",
    )
    sparkline = models.TextField(
        blank=True,
        help_text="Where the dashboard's sparkline of the trend places its points (charts.sparkline_geometry), kept "
        "with the trend it is drawn from: placing a hundred a page was a tenth of the dashboard's time",
    )

    class Meta:
        ordering = ["indicator", "month"]
        constraints = [models.UniqueConstraint(fields=["indicator", "month"], name="one_figure_a_month")]
        indexes = [models.Index(fields=["month", "rag_colour"], name="figure_month_rag")]

    @property
    def rag(self):
        return Rag(self.rag_colour, self.rag_reason)

    @property
    def period(self):
        return self.indicator.period_of(self.period_start)
