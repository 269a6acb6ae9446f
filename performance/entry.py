"""The data entry page: an accountable officer (or their manager, or an admin) enters or corrects a month's
readings for all their indicators at once. Every row is checked before anything is saved."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from core.periods import Month, parse_period, period_for, today

from . import figures, permissions, services
from .models import Reading
from .selectors import plain_number
from .spreadsheet import ratio_value, reading_errors

# Which model field a rule's complaint is about, by the import column it names.
FIELD_OF_COLUMN = {"Value": "value", "Numerator": "numerator", "Denominator": "denominator", "Period": "value"}
NUMBERS = {"value", "numerator", "denominator"}
FIGURE_FIELD = {"required": False, "max_digits": 18, "decimal_places": 6}


class ReadingForm(forms.Form):
    """One indicator's reading for the period that answers for the month on the page."""

    value = forms.DecimalField(**FIGURE_FIELD)
    numerator = forms.DecimalField(**FIGURE_FIELD)
    denominator = forms.DecimalField(**FIGURE_FIELD)
    note = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    provisional = forms.BooleanField(required=False)

    def __init__(self, *args, indicator, period, reading=None, **kwargs):
        self.indicator, self.period, self.reading = indicator, period, reading
        # A saved figure as a person typed it (32, not the 32.000000 its column keeps).
        initial = {name: plain_number(getattr(reading, name)) if name in NUMBERS else getattr(reading, name)
                   for name in services.ENTERED_FIELDS} if reading else {}
        super().__init__(*args, prefix=f"i{indicator.pk}", initial=initial, **kwargs)
        self.is_ratio = indicator.aggregation == figures.RATIO
        if not self.is_ratio:
            del self.fields["numerator"], self.fields["denominator"]

    def is_blank(self):
        return all(self.cleaned_data.get(name) in (None, "") for name in ("value", "numerator", "denominator"))

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.is_blank():
            return cleaned
        values = {name: cleaned.get(name) for name in ("value", "numerator", "denominator") if name in self.fields}
        for error in reading_errors(self.indicator, self.period, values):
            self.add_error(FIELD_OF_COLUMN.get(error.column, "value"), error.reason[0].upper() + error.reason[1:])
        return cleaned

    def entered(self):
        """The fields to save, with a ratio's value worked out from its numerator and denominator."""
        values = {name: self.cleaned_data.get(name) for name in services.ENTERED_FIELDS if name in self.fields}
        values.setdefault("numerator", None)
        values.setdefault("denominator", None)
        values["note"] = values.get("note") or ""
        values["value"] = ratio_value(self.indicator, values)
        return values


class _SharedFields(dict):
    """ReadingForm's fields, shared by its forms rather than deep-copied for each (Django's default, so that a form
    may change its own): a page has a form per indicator, the copies were a third of its time, and no form changes
    a field (a form of an indicator that is not a ratio only leaves two out of its own dict)."""

    def __deepcopy__(self, memo):
        return dict(self)


ReadingForm.base_fields = _SharedFields(ReadingForm.base_fields)


def _month(request):
    """(the month the page is for, from ?period=YYYY-MM, else last month; the error when it is unreadable)."""
    text = (request.POST.get("period") or request.GET.get("period") or "").strip()
    if not text:
        return Month.of(today()).shift(-1), None
    try:
        month = parse_period(text)
    except ValueError as error:
        return None, str(error)
    if month.kind != "month":
        return None, f"Choose a month, written like 2013-09, not {month.label}"
    if month > Month.of(today()):
        return None, f"{month.name} has not begun yet: choose this month or an earlier one"
    return month, None


def data_entry(request):
    month, month_error = _month(request)
    indicators = list(permissions.enterable_by(request.user).select_related("unit_owner").order_by("domain", "code"))
    context = {"month": month, "month_error": month_error, "indicators_exist": bool(indicators), "period_text": request.GET.get("period", "")}
    if month_error:
        return render(request, "performance/entry.html", context, status=400)
    periods = {indicator.pk: period_for(indicator.frequency, month) for indicator in indicators}
    readings = {
        (reading.indicator_id, reading.period_start): reading
        for reading in Reading.objects.filter(
            indicator__in=indicators, period_start__in={p.start for p in periods.values()}
        ).select_related("entered_by")
    }
    data = request.POST if request.method == "POST" else None
    rows = [
        ReadingForm(data, indicator=indicator, period=periods[indicator.pk],
                    reading=readings.get((indicator.pk, periods[indicator.pk].start)))
        for indicator in indicators
    ]
    if request.method == "POST":
        if all(form.is_valid() for form in rows):
            entries = [(form.indicator, form.period, form.entered()) for form in rows if not form.is_blank()]
            changed = services.enter_readings(user=request.user, entries=entries)
            messages.success(request, f"Saved {changed} reading{'s' if changed != 1 else ''} for {month.name}.")
            return redirect(f"{request.path}?period={month.label}")
        context["errors"] = [
            (form, field, form[field].label if field in form.fields else "Reading", error)
            for form in rows for field in form.errors for error in form.errors[field]
        ]
    context["rows"] = rows
    return render(request, "performance/entry.html", context, status=400 if context.get("errors") else 200)
