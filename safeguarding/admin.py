from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_import import ImportAdminMixin

from . import services, spreadsheet
from .models import (
    AuditType, BreakdownCount, CaseFileAudit, Category, QuarterlyReturn, Team, TimelinessMeasure, TrainingCourse,
    TrainingSession,
)


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "breakdown", "order", "active", "other_names"]
    list_filter = ["breakdown", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name", "other_names"]


class TimelinessMeasureInline(admin.TabularInline):
    model = TimelinessMeasure
    extra = 0
    readonly_fields = ["measure", "indicator"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # made with the team (services.set_up_team)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["unit", "indicator_prefix"]
    inlines = [TimelinessMeasureInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Its timeliness measures become quarterly indicators of its unit, made once.
        services.set_up_team(unit=obj.unit, indicator_prefix=obj.indicator_prefix)


class BreakdownCountInline(admin.TabularInline):
    model = BreakdownCount
    extra = 0
    autocomplete_fields = ["category"]


class ImportOptions(forms.Form):
    team = forms.ModelChoiceField(Team.objects.all(), required=False,
                                  help_text="The team the figures are for; may be left empty when there is only one")


@admin.register(QuarterlyReturn)
class QuarterlyReturnAdmin(ImportAdminMixin, SimpleHistoryAdmin):
    # The same import as `manage.py import_safeguarding`.
    import_label = "safeguarding figures"
    import_columns = [("One count a row", spreadsheet.COLUMNS)]
    import_function = spreadsheet.import_safeguarding_file
    import_options_form = ImportOptions
    list_display = ["team", "quarter_start", "note", "entered_by", "entered_at"]
    list_filter = ["team"]
    readonly_fields = ["entered_by", "entered_at"]
    inlines = [BreakdownCountInline]

    def import_options_for(self, request):
        return {"entered_by": request.user}

    def has_import_permission(self, request):
        return all(request.user.has_perm(f"safeguarding.{verb}_{model}")
                   for verb in ("add", "change") for model in ("quarterlyreturn", "breakdowncount"))


@admin.register(AuditType)
class AuditTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "target_percent", "order"]


@admin.register(CaseFileAudit)
class CaseFileAuditAdmin(SimpleHistoryAdmin):
    list_display = ["case_reference", "audit_date", "audit_type", "score", "auditor", "reported_to_dmt", "team"]
    list_filter = ["team", "audit_type", "score"]
    search_fields = ["case_reference", "auditor"]
    date_hierarchy = "audit_date"


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(SimpleHistoryAdmin):
    list_display = ["course", "date", "level", "agency", "attendees", "team"]
    list_filter = ["team", "course"]
    date_hierarchy = "date"
