import re

import tablib
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from import_export import fields, resources
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import Result, RowResult
from simple_history.admin import SimpleHistoryAdmin

from . import spreadsheet, state
from .models import Action, Area, InspectionJudgement, Lead, Milestone, Plan, ProgressUpdate, Recommendation


class PlanFileFormat:
    """Reads an upload with the importer's own reader, as `manage.py import_plan` does.

    tablib would read only the first sheet of a workbook (losing its Milestones
    sheet) and drop blank lines (shifting the row numbers errors are reported
    with). The dataset only carries the sheets to `PlanFileResource`; a file that
    cannot be read raises SpreadsheetError, whose message `PlanAdmin` shows.
    """

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        sheets = spreadsheet.read_sheets(in_stream, f"upload.{self.get_extension()}")
        dataset = tablib.Dataset([len(sheets)], headers=["sheets"])
        dataset.sheets = sheets
        return dataset


class PlanCSV(PlanFileFormat, CSV):
    pass


class PlanXLSX(PlanFileFormat, XLSX):
    pass


class PlanFileResource(resources.Resource):
    """django-import-export's preview and confirm steps over the plan importer of `spreadsheet.py`.

    The rows are validated and saved by `spreadsheet.import_rows`, the same code
    as `manage.py import_plan`; this class only turns its outcome into the
    admin's preview table. A Milestones CSV (Plan, Action No, Milestone, Date,
    Completed) is recognised by its headers.
    """

    def get_user_visible_fields(self):
        # Listed on the admin's import page as the columns the file may have.
        return [fields.Field(column_name=column.name) for column in spreadsheet.PLAN_COLUMNS]

    @classmethod
    def get_display_name(cls):
        return "Plan rows (one row per action), or a Milestones sheet"

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        sheets = getattr(dataset, "sheets", None)
        if sheets is None:  # a dataset tablib read
            sheets = {"": [list(dataset.headers or [])] + [list(row) for row in dataset]}
        plan_rows, milestone_rows = spreadsheet.split_sheets(sheets)
        shown = plan_rows if plan_rows is not None else milestone_rows
        # Numbered as the importer numbers them: the header's row in the file is row 1 + the blank rows above it.
        start = next((index for index, row in enumerate(shown) if any(spreadsheet._text(c) for c in row)), 0)
        headers = [spreadsheet._text(cell) for cell in shown[start]] if shown else []
        by_number = {
            number: dict(zip(headers, (spreadsheet._text(cell) for cell in row)))
            for number, row in enumerate(shown[start + 1 :], start=start + 2)
            if any(spreadsheet._text(cell) for cell in row)
        }
        result = Result()
        result.diff_headers = list(headers)
        result.add_dataset_headers(headers)
        try:
            outcome = spreadsheet.import_rows(plan_rows, milestone_rows, dry_run=dry_run)
        except spreadsheet.SpreadsheetError as error:
            result.append_invalid_row(1, {}, ValidationError(str(error)))
            return result
        except spreadsheet.ImportErrors as errors:
            grouped = {}
            for error in errors.errors:
                grouped.setdefault(error.row, {}).setdefault(error.column or "__all__", []).append(error.reason)
            for number, messages in sorted(grouped.items()):
                result.append_invalid_row(number, by_number.get(number, {}), ValidationError(messages))
            return result
        # Warnings (unknown columns, timescales to check) go in a last column, on their row or the first.
        notes = {}
        for warning in outcome.warnings:
            row = re.match(r"Row (\d+), ", warning)
            notes.setdefault(int(row.group(1)) if row else min(by_number, default=2), []).append(warning)
        if notes:
            result.diff_headers.append("Warnings")
        rows = outcome.row_outcomes
        if plan_rows is None:  # a milestones file: one preview row per milestone, logged against its action
            rows = [
                (number, RowResult.IMPORT_TYPE_UPDATE, Action.objects.get(plan__title=values["Plan"], number=values["Action No"]))
                for number, values in by_number.items()
            ]
        for number, import_type, action in rows:
            row_result = RowResult()
            row_result.import_type = import_type
            row_result.diff = [by_number[number].get(h) or "" for h in headers]
            if notes:
                row_result.diff.append(" ".join(notes.get(number, [])))
            row_result.instance = action
            row_result.add_instance_info(action)
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)
        result.total_rows = len(by_number)
        return result


class StoresActionState:
    """After an admin save or delete, the actions it touched get their stored state again (state.refresh)."""

    def actions_touched(self, obj):
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        state.refresh(self.actions_touched(form.instance))

    def delete_model(self, request, obj):
        actions = Action.objects.filter(pk__in=list(self.actions_touched(obj).values_list("pk", flat=True)))
        super().delete_model(request, obj)
        state.refresh(actions)

    def delete_queryset(self, request, queryset):
        touched = set()
        for obj in queryset:
            touched.update(self.actions_touched(obj).values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        state.refresh(Action.objects.filter(pk__in=touched))


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    show_change_link = True
    fields = ["number", "area", "text", "page_reference", "measurable_indicator", "desired_outcome"]


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    fields = ["title", "order"]


class JudgementInline(admin.TabularInline):
    model = InspectionJudgement
    extra = 0


@admin.register(Plan)
class PlanAdmin(StoresActionState, ImportMixin, SimpleHistoryAdmin):
    resource_classes = [PlanFileResource]
    formats = [PlanCSV, PlanXLSX]
    list_display = ["title", "source", "source_date", "unit", "rag_scheme", "status"]
    list_filter = ["source", "status", "rag_scheme", "unit"]
    search_fields = ["title"]
    inlines = [JudgementInline, AreaInline, RecommendationInline]
    import_template_name = "admin/import_export/import.html"

    def actions_touched(self, obj):
        # Its scheme, source date and update interval feed every action's state.
        return Action.objects.filter(plan_id=obj.pk)

    def has_import_permission(self, request):
        # An import adds and changes plans and their actions: being staff is not enough.
        return all(
            request.user.has_perm(f"actionplans.{verb}_{model}") for verb in ("add", "change") for model in ("plan", "action")
        )

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, spreadsheet.SpreadsheetError):  # the importer's own message says what is wrong
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


class ActionInline(admin.StackedInline):
    model = Action
    extra = 0
    show_change_link = True
    fields = ["number", "area", "text", "timescale", "due_date_set", "leads"]
    filter_horizontal = ["leads"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["number", "plan", "area", "short_text", "page_reference"]
    list_filter = ["plan"]
    search_fields = ["number", "text", "plan__title"]
    list_select_related = ["plan", "area"]
    inlines = [ActionInline]

    @admin.display(description="Recommendation")
    def short_text(self, obj):
        return obj.text[:90]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["activity", "date_text", "completed", "order"]


class ProgressUpdateInline(admin.StackedInline):
    model = ProgressUpdate
    extra = 0
    fields = ["date", "status", "narrative", "author", "source"]
    raw_id_fields = ["author"]


class ActionAdminForm(forms.ModelForm):
    """Refuses a save made over someone else's: the version seen is checked against the database."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Action
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk and seen is not None:
            current = Action.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if current != seen:
                latest = Action.history.filter(id=self.instance.pk).select_related("history_user").first()
                who = (latest.history_user.get_username() if latest and latest.history_user else "someone else")
                when = f" at {latest.history_date:%-d %b %Y %H:%M}" if latest else ""
                raise forms.ValidationError(
                    f"{who} saved this action{when} while you were editing it, so your changes were not saved. "
                    "Open the action again to see their changes (its history shows them), then make yours."
                )
        return cleaned


@admin.register(Action)
class ActionAdmin(StoresActionState, SimpleHistoryAdmin):
    form = ActionAdminForm

    def actions_touched(self, obj):
        return Action.objects.filter(pk=obj.pk)

    list_display = ["number", "plan", "short_text", "timescale", "due_date", "needs_review"]
    list_filter = ["plan", "timescale_kind", "leads"]
    search_fields = ["number", "text", "timescale", "plan__title", "leads__name"]
    list_select_related = ["plan"]
    filter_horizontal = ["leads"]
    raw_id_fields = ["cross_reference", "completion_proposed_by"]
    readonly_fields = ["due_date", "timescale_kind"]
    inlines = [MilestoneInline, ProgressUpdateInline]

    @admin.display(description="Action")
    def short_text(self, obj):
        return obj.text[:90]

    @admin.display(boolean=True, description="Timescale needs review")
    def needs_review(self, obj):
        return obj.timescale_needs_review


@admin.register(Lead)
class LeadAdmin(SimpleHistoryAdmin):
    list_display = ["name", "initials", "kind", "user", "unit"]
    list_filter = ["kind", "unit"]
    search_fields = ["name", "initials", "user__username"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["action", "date_text", "due_date", "completed"]
    list_filter = ["completed", "action__plan"]
    search_fields = ["activity", "action__number"]
    list_select_related = ["action"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(StoresActionState, SimpleHistoryAdmin):
    list_display = ["action", "date", "status", "author", "source"]
    list_filter = ["source", "status", "action__plan"]
    search_fields = ["narrative", "action__number"]
    list_select_related = ["action", "author"]
    raw_id_fields = ["action", "author"]

    def actions_touched(self, obj):
        return Action.objects.filter(pk=obj.action_id)


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["title"]


@admin.register(InspectionJudgement)
class InspectionJudgementAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "outcome", "judgement"]
    list_filter = ["judgement"]
