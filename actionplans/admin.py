from django.contrib import admin
from django.core.exceptions import ValidationError
from import_export import fields, resources
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import Result, RowResult
from simple_history.admin import SimpleHistoryAdmin

from . import spreadsheet
from .models import (
    Action,
    Area,
    InspectionJudgement,
    Lead,
    Milestone,
    OrganisationUnit,
    Plan,
    Profile,
    ProgressUpdate,
    Recommendation,
)


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
        headers = [str(h) if h is not None else "" for h in (dataset.headers or [])]
        raw = [headers] + [list(row) for row in dataset]
        result = Result()
        result.diff_headers = headers
        result.add_dataset_headers(headers)
        by_number = {index: dict(zip(headers, row)) for index, row in enumerate(raw[1:], start=2)}
        try:
            if spreadsheet.looks_like_milestones(raw):
                outcome = spreadsheet.import_rows(None, raw, dry_run=dry_run)
            else:
                outcome = spreadsheet.import_rows(raw, dry_run=dry_run)
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
        for number, import_type, action in outcome.row_outcomes:
            row_result = RowResult()
            row_result.import_type = import_type
            row_result.diff = [by_number[number].get(h) or "" for h in headers]
            row_result.instance = action
            row_result.add_instance_info(action)
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)
        if not outcome.row_outcomes:  # a milestones file: one preview row per milestone row
            for number, values in by_number.items():
                row_result = RowResult()
                row_result.import_type = RowResult.IMPORT_TYPE_UPDATE
                row_result.diff = [values.get(h) or "" for h in headers]
                result.append_row_result(row_result)
        result.total_rows = len(by_number)
        return result


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
class PlanAdmin(ImportMixin, SimpleHistoryAdmin):
    resource_classes = [PlanFileResource]
    formats = [CSV, XLSX]
    list_display = ["title", "source", "source_date", "unit", "rag_scheme", "status"]
    list_filter = ["source", "status", "rag_scheme", "unit"]
    search_fields = ["title"]
    inlines = [JudgementInline, AreaInline, RecommendationInline]
    import_template_name = "admin/import_export/import.html"


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


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
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
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["action", "date", "status", "author", "source"]
    list_filter = ["source", "status", "action__plan"]
    search_fields = ["narrative", "action__number"]
    list_select_related = ["action", "author"]
    raw_id_fields = ["action", "author"]


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["title"]


@admin.register(InspectionJudgement)
class InspectionJudgementAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "outcome", "judgement"]
    list_filter = ["judgement"]


@admin.register(OrganisationUnit)
class OrganisationUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "short_name"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
