"""`{% indicator_rows rows month %}`: the dashboard's rows of indicators. A tag rather than a loop of template
variables: a page has up to 100 rows of nine cells, and Django's template engine spent most of the page's time
on them (the same reason as actionplans' `action_table`)."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.templatetags.rag import badge_html

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
