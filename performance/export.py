"""The indicators' figures as at a month, as a spreadsheet: the dashboard's download and the
`export_indicators` command write the same columns.

Numbers are written as stored, unrounded (a percentage worked out from a ratio keeps its six
places; trailing zeros are dropped), so a spreadsheet can work with them; a figure that cannot be
worked out is an empty cell, never 0. The RAG column is the word (Green, Amber, Red, Not rated) and
its reason is beside it.
"""

from core.rag import GREY, Rag
from core.spreadsheets import CONTENT_TYPES, write_csv, write_xlsx

from .models import Indicator, period_of
from .selectors import no_figures_reason, plain_number, with_figure_at

HEADERS = [
    "Code", "Name", "Period", "Value", "YTD", "Rolling 12", "Out-turn", "Target", "Minimum standard", "RAG",
    "RAG reason", "Direction",
]
FIGURES = ["value", "ytd", "rolling_12", "out_turn", "target", "minimum_standard"]


def indicator_rows(month, indicators=None):
    """One row of HEADERS per indicator (every indicator when None), in the dashboard's order, in one query."""
    indicators = Indicator.objects.all() if indicators is None else indicators
    fields = ["code", "name", "frequency", "at__period_start", "at__rag_colour", "at__rag_reason", "at__direction",
              *(f"at__{name}" for name in FIGURES)]
    rows = []
    for values in with_figure_at(indicators, month).order_by("domain", "code").values(*fields):
        if values["at__period_start"] is None:
            period, rag = "", Rag(GREY, no_figures_reason(month))
        else:
            period = period_of(values["frequency"], values["at__period_start"]).label
            rag = Rag(values["at__rag_colour"], values["at__rag_reason"])
        rows.append([
            values["code"], values["name"], period, *(plain_number(values[f"at__{name}"]) for name in FIGURES),
            rag, rag.reason, values["at__direction"] or "",
        ])
    return rows


def export_indicators(month, file_format, indicators=None):
    """(bytes, content type, file name) of the indicators' figures as at `month`, as CSV or XLSX."""
    rows = indicator_rows(month, indicators)
    stem = f"indicators-{month.label}"
    if file_format == "csv":
        return write_csv(HEADERS, rows), CONTENT_TYPES["csv"], f"{stem}.csv"
    if file_format == "xlsx":
        return write_xlsx([(f"Indicators {month.label}", HEADERS, rows)]), CONTENT_TYPES["xlsx"], f"{stem}.xlsx"
    raise ValueError(f"An export is csv or xlsx, not {file_format!r}")
