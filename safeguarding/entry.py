"""The quarter's figures on one page: totals, every breakdown's categories, the timeliness measures' counts and the
selected outcomes. Every rule (`rules.figure_problems`, and the performance app's `reading_errors` for the
timeliness readings) is checked before anything is saved; each error is shown on its field, or on its list when
it is about a list as a whole, and in the error summary."""

from decimal import Decimal

from django import forms

from performance.models import reading_errors
from performance.selectors import plain_number
from performance.spreadsheet import ratio_value

from . import rules
from .models import BREAKDOWN_NAMES, LIST_KEYS, LISTS, TOTAL_KEYS, TOTALS

MOST = 10**9  # far above any council's quarter, far below what the column holds
COUNT = {"required": False, "max_value": MOST}
FIGURE = {"required": False, "max_digits": 18, "decimal_places": 6}


class QuarterForm(forms.Form):
    selected_outcomes = forms.CharField(
        required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
        label="Some recent outcomes",
        help_text="For the report to the Cabinet Member: one outcome a line. Never a name.",
    )

    def __init__(self, data=None, *, quarter, lists, measures, saved_counts, saved_return, readings):
        self.quarter, self.measures = quarter, measures
        initial = {"selected_outcomes": saved_return.selected_outcomes if saved_return else ""}
        super().__init__(data, initial=initial)
        for key, name in TOTALS:
            self.fields[key] = forms.IntegerField(label=name, **COUNT)
            self.initial[key] = saved_counts.get((key, None))
        # A category no longer offered stays on the page while the quarter counts it.
        self.lists = {
            key: [category for category in lists.get(key, []) if category.active or (key, category.pk) in saved_counts]
            for key in LIST_KEYS
        }
        self.category_fields = {}
        for key in LIST_KEYS:
            for category in self.lists[key]:
                name = f"c{category.pk}"
                self.fields[name] = forms.IntegerField(label=category.name, **COUNT)
                self.initial[name] = saved_counts.get((key, category.pk))
                self.category_fields[(key, category.name)] = name
        for measure in measures:
            reading = readings.get(measure.indicator_id)
            for part in self.parts(measure):
                name = f"m{measure.pk}_{part}"
                self.fields[name] = (forms.IntegerField(min_value=0, **COUNT) if part != "value"
                                     else forms.DecimalField(min_value=0, **FIGURE))
                self.fields[name].label = f"{measure.indicator.name}: {self.part_label(measure, part).lower()}"
                self.initial[name] = plain_number(getattr(reading, part)) if reading else None
        self.group_errors = {}

    @staticmethod
    def parts(measure):
        return ("numerator", "denominator") if measure.spec.is_ratio else ("value",)

    @staticmethod
    def part_label(measure, part):
        spec = measure.spec
        return {"numerator": spec.numerator, "denominator": spec.denominator, "value": "Value"}[part]

    # --- What the template draws --------------------------------------------------------------------

    def totals(self):
        return [self[key] for key in TOTAL_KEYS]

    def groups(self):
        """(breakdown, name, its bound fields, its errors) for each list."""
        return [
            (key, name, [self[f"c{category.pk}"] for category in self.lists[key]], self.group_errors.get(key, []))
            for key, name in LISTS
        ]

    def timeliness(self):
        return [
            (measure, [(self.part_label(measure, part), self[f"m{measure.pk}_{part}"]) for part in self.parts(measure)])
            for measure in self.measures
        ]

    def error_list(self):
        """(the id of the field to jump to, message) in the page's order, for the error summary."""
        found = []
        for name in [*TOTAL_KEYS]:
            found += [(self[name].id_for_label, f"{self.fields[name].label}: {error}") for error in self.errors.get(name, [])]
        for key, name, fields, errors in self.groups():
            found += [(fields[0].id_for_label if fields else "", f"{name}: {error}") for error in errors]
            for field in fields:
                found += [(field.id_for_label, f"{name}, {field.label}: {error}") for error in field.errors]
        for measure, parts in self.timeliness():
            for _, field in parts:
                found += [(field.id_for_label, f"{field.label}: {error}") for error in field.errors]
        found += [(self["selected_outcomes"].id_for_label, error) for error in self.errors.get("selected_outcomes", [])]
        return found

    # --- Checking ---------------------------------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        totals = {key: cleaned.get(key) for key in TOTAL_KEYS if key not in self.errors}
        lists = {
            key: {category.name: cleaned.get(f"c{category.pk}") for category in self.lists[key]
                  if f"c{category.pk}" not in self.errors}
            for key in LIST_KEYS
        }
        for problem in rules.figure_problems(totals, lists, names=BREAKDOWN_NAMES):
            if problem.category:
                self.add_error(self.category_fields[(problem.breakdown, problem.category)], problem.message)
            elif problem.breakdown in TOTAL_KEYS:
                self.add_error(problem.breakdown, problem.message)
            else:
                self.group_errors.setdefault(problem.breakdown, []).append(problem.message)
                self.add_error(None, problem.message)  # the form is invalid; the message is shown on its list
        for measure in self.measures:
            values = self.reading_values(measure)
            if values is None:
                continue
            for error in reading_errors(measure.indicator, self.quarter, values):
                part = {"Numerator": "numerator", "Denominator": "denominator"}.get(error.column, self.parts(measure)[0])
                self.add_error(f"m{measure.pk}_{part}", error.reason[0].upper() + error.reason[1:])
        return cleaned

    def reading_values(self, measure):
        """The measure's figures as entered, or None when its row was left empty or cannot be read."""
        names = [f"m{measure.pk}_{part}" for part in self.parts(measure)]
        if any(name in self.errors for name in names):
            return None
        values = {part: self.cleaned_data.get(f"m{measure.pk}_{part}") for part in self.parts(measure)}
        if all(value is None for value in values.values()):
            return None
        return {name: (None if value is None else Decimal(value)) for name, value in values.items()}

    # --- What saving needs -----------------------------------------------------------------------------

    def counts(self):
        """{(breakdown, category or None): count or None}, every field of the page (None removes a count)."""
        counts = {(key, None): self.cleaned_data.get(key) for key in TOTAL_KEYS}
        for key in LIST_KEYS:
            for category in self.lists[key]:
                counts[(key, category)] = self.cleaned_data.get(f"c{category.pk}")
        return counts

    def readings(self):
        """[(indicator, {field: value})] of the measures given, the ratio's value worked out from its counts."""
        entries = []
        for measure in self.measures:
            values = self.reading_values(measure)
            if values is None:
                continue
            values = {"value": values.get("value"), "numerator": values.get("numerator"),
                      "denominator": values.get("denominator")}
            values["value"] = ratio_value(measure.indicator, values)
            entries.append((measure.indicator, values))
        return entries
