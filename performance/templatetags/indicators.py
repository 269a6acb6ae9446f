"""`{% indicator_rows rows month %}`: the dashboard's rows of indicators. A tag rather than a loop of template
variables: a page has up to 100 rows of nine cells, and Django's template engine spent most of the page's time
on them (the same reason as actionplans' `action_table`)."""

import functools

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.html import escape
from core.templatetags.rag import badge_html
from performance.figures import POLARITY_CHOICES, UNIT_CHOICES

register = template.Library()


def _label(text):
    return f'<span class="app-figure-label">{escape(text)}</span>' if text else ""


def indicator_row(row, month_label, detail_url):
    """One `<tr>` of a selectors.IndicatorRow."""
    period = escape(row.period.name) if row.period else "none yet"
    direction = f'<span class="app-direction" aria-hidden="true">{row.arrow}</span> {escape(row.direction_words)}'
    return (
        f'<tr class="govuk-table__row" data-indicator="{escape(row.code)}">'
        f'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="{detail_url}?period={escape(month_label)}">'
        f'{escape(row.code)}</a><span class="app-indicator-name">{escape(row.name)}</span></th>'
        f'<td class="govuk-table__cell">{period}</td>'
        f'<td class="govuk-table__cell govuk-table__cell--numeric">{escape(row.value_text)}</td>'
        f'<td class="govuk-table__cell govuk-table__cell--numeric">{escape(row.rated_text)}{_label(row.rated_label)}</td>'
        f'<td class="govuk-table__cell govuk-table__cell--numeric">{escape(row.target_text)}{_label(row.pro_rated)}</td>'
        f'<td class="govuk-table__cell govuk-table__cell--numeric">{escape(row.minimum_standard_text)}</td>'
        f'<td class="govuk-table__cell">{badge_html(row.rag)}</td>'
        f'<td class="govuk-table__cell">{direction}{_label(row.direction_on_last_year_words)}</td>'
        f'<td class="govuk-table__cell">{row.sparkline}</td>'
        "</tr>"
    )


@register.simple_tag
def indicator_rows(rows, month):
    # One reverse for the page: the address differs only by the indicator's id.
    pattern = reverse("indicator_detail", args=[0])[: -len("0/")]
    label = month.label if month else ""
    return mark_safe("".join(indicator_row(row, label, f"{pattern}{row.pk}/") for row in rows))


@register.simple_tag
def period_field(choice):
    """The month a performance page shows (a selectors.MonthChoice): a select of the months with figures, newest
    first. A tag rather than a template loop: ten years of figures are 120 options of three lookups each."""
    if not (choice.months or choice.error):
        return ""
    error = choice.error
    options = "".join(
        f'<option value="{month.label}"{" selected" if month == choice.month else ""}>{escape(month.name)}</option>'
        for month in choice.months
    )
    message = (
        f'<p class="govuk-error-message" id="period-error"><span class="govuk-visually-hidden">Error:</span> {escape(error)}</p>'
        if error else ""
    )
    return mark_safe(
        f'<div class="govuk-form-group{" govuk-form-group--error" if error else ""}">'
        '<label class="govuk-label govuk-label--s" for="period">Month</label>'
        '<div class="govuk-hint" id="period-hint">The figures as they stood at the end of that month</div>'
        f'{message}<select class="govuk-select{" govuk-select--error" if error else ""}" id="period" name="period" '
        f'aria-describedby="period-hint{" period-error" if error else ""}">{options}</select></div>'
    )


NUMERIC_CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">'


@register.simple_tag
def period_rows(report):
    """The rows of the indicator page's figures by period (selectors.PeriodRow): a tag, as the dashboard's rows
    are, for ten years of months."""
    rated = report.shows_rated_column
    return mark_safe("".join(
        f'<tr class="govuk-table__row" data-period="{escape(row.period.label)}">'
        f'<th scope="row" class="govuk-table__header">{escape(row.period.name)}</th>'
        f"{NUMERIC_CELL}{escape(row.value_text)}</td>"
        f"{f'{NUMERIC_CELL}{escape(row.rated_text)}</td>' if rated else ''}"
        f"{NUMERIC_CELL}{escape(row.target_text)}</td>"
        f"{NUMERIC_CELL}{escape(row.minimum_standard_text)}</td>"
        f'<td class="govuk-table__cell">{badge_html(row.rag, True)}</td></tr>'
        for row in report.periods
    ))


@register.simple_tag
def reading_rows(report):
    """The rows of the indicator page's readings (selectors.ReadingRow), drawn as `period_rows` are."""
    ratio = report.is_ratio
    provisional = '<strong class="govuk-tag govuk-tag--yellow">Provisional</strong>'
    return mark_safe("".join(
        f'<tr class="govuk-table__row" data-period="{escape(row.period.label)}">'
        f'<th scope="row" class="govuk-table__header">{escape(row.period.name)}</th>'
        f"{NUMERIC_CELL}{escape(row.value_text)}</td>"
        + (f"{NUMERIC_CELL}{escape(row.numerator_text)}</td>{NUMERIC_CELL}{escape(row.denominator_text)}</td>"
           if ratio else "")
        + f'<td class="govuk-table__cell">{provisional if row.provisional else "No"}</td>'
        f'<td class="govuk-table__cell app-narrative">{escape(row.note)}</td></tr>'
        for row in report.readings
    ))


def _input(form, name, indicator, period_name):
    """One figure's label, errors and text box, GOV.UK style."""
    field = form[name]
    box = f"{form.prefix}-{name}"
    errors = field.errors
    messages = "".join(
        f'<p class="govuk-error-message" id="{box}-error"><span class="govuk-visually-hidden">Error:</span> {escape(error)}</p>'
        for error in errors
    )
    value = field.value()
    described = f' aria-describedby="{box}-error"' if errors else ""
    return (
        '<div class="govuk-grid-column-one-quarter">'
        f'<div class="govuk-form-group{" govuk-form-group--error" if errors else ""}">'
        f'<label class="govuk-label" for="{box}">{escape(str(field.label))}<span class="govuk-visually-hidden"> of '
        f"{escape(indicator.code)} for {escape(period_name)}</span></label>{messages}"
        f'<input class="govuk-input{" govuk-input--error" if errors else ""}" id="{box}" name="{escape(field.html_name)}" '
        f'type="text" inputmode="decimal" spellcheck="false" value="{escape("" if value is None else str(value))}"{described}>'
        "</div></div>"
    )


@functools.lru_cache(maxsize=1024)
def _day(day, language):
    """A day as "6 Dec 2026": the readings of a page were mostly entered on a few days (an import stamps them all
    alike), and Django's date formatting looks its words up in the translations each time."""
    return date_format(day, "j M Y")


UNIT_NAMES, POLARITY_NAMES = dict(UNIT_CHOICES), dict(POLARITY_CHOICES)


@register.simple_tag
def entry_rows(forms):
    """The data entry page's rows (entry.ReadingForm), one an indicator: a tag, as the dashboard's rows are, for a
    page of up to a few hundred indicators, and one tag for them all rather than a tag each."""
    return mark_safe("".join(reading_row(form) for form in forms))


def reading_row(form):
    """One indicator's row of the data entry page."""
    indicator, period_name, prefix = form.indicator, form.period.name, form.prefix
    reading = form.reading
    if reading is None:
        entered = "; nothing entered yet"
    else:
        who = reading.entered_by.get_full_name() or reading.entered_by.username if reading.entered_by else ""
        entered = f"; last entered {_day(timezone.localtime(reading.entered_at).date(), get_language())}{f' by {who}' if who else ''}"
    unit_owner = f"; {indicator.unit_owner}" if indicator.unit_owner_id else ""
    # The choices' names as get_unit_display() gives them, without its lookup through every choice each time.
    unit = UNIT_NAMES.get(indicator.unit, indicator.unit)
    polarity = POLARITY_NAMES.get(indicator.polarity, indicator.polarity)
    about = f"{unit}, {polarity.lower()}{unit_owner}{entered}"
    figures = "".join(_input(form, name, indicator, period_name) for name in ("value", "numerator", "denominator")
                      if name in form.fields)
    checked = " checked" if form["provisional"].value() else ""
    note = form["note"].value()
    return mark_safe(
        f'<div class="govuk-form-group app-entry-row{" govuk-form-group--error" if form.errors else ""}">'
        f'<fieldset class="govuk-fieldset" aria-describedby="{prefix}-about">'
        f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{escape(indicator.code)} {escape(indicator.name)}: '
        f"{escape(period_name)}</legend>"
        f'<p class="govuk-hint" id="{prefix}-about">{escape(about)}</p>'
        f'<div class="govuk-grid-row">{figures}'
        '<div class="govuk-grid-column-one-quarter"><div class="govuk-checkboxes govuk-checkboxes--small app-entry-provisional" '
        'data-module="govuk-checkboxes"><div class="govuk-checkboxes__item">'
        f'<input class="govuk-checkboxes__input" id="{prefix}-provisional" name="{escape(form["provisional"].html_name)}" '
        f'type="checkbox" value="on"{checked}>'
        f'<label class="govuk-label govuk-checkboxes__label" for="{prefix}-provisional">Provisional'
        f'<span class="govuk-visually-hidden"> ({escape(indicator.code)})</span></label></div></div></div></div>'
        f'<div class="govuk-form-group"><label class="govuk-label" for="{prefix}-note">Note<span class="govuk-visually-hidden"> '
        f"on {escape(indicator.code)} for {escape(period_name)}</span></label>"
        f'<textarea class="govuk-textarea" id="{prefix}-note" name="{escape(form["note"].html_name)}" rows="2">'
        f'{escape("" if note is None else str(note))}</textarea></div>'
        "</fieldset></div>"
    )
