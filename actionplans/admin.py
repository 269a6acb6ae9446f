from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_import import ImportAdminMixin
from core.models import OrganisationUnit

from . import spreadsheet, state
from .models import Action, Area, InspectionJudgement, Lead, Milestone, Plan, ProgressUpdate, Recommendation


class StoresActionState:
    """After an admin save or delete, the actions it touched get their stored state again (state.refresh)."""

    def actions_touched(self, obj):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        # The plans the touched actions were in before the save: an action moved to another plan, or deleted by an
        # inline, leaves that plan's tally, which would count it until the night's run (and the actions list, counted
        # from the tallies, with it).
        obj._plans_before_save = set(self.actions_touched(obj).values_list("plan_id", flat=True)) if obj.pk else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        state.refresh(self.actions_touched(form.instance))
        state.recount(getattr(form.instance, "_plans_before_save", set()))

    def delete_model(self, request, obj):
        self._refreshing_after(lambda: super(StoresActionState, self).delete_model(request, obj), [obj])

    def delete_queryset(self, request, queryset):
        self._refreshing_after(lambda: super(StoresActionState, self).delete_queryset(request, queryset), queryset)

    def _refreshing_after(self, delete, objects):
        """Delete, then rate what is left of the actions touched and count their plans again: a deleted action
        leaves its plan's tally, and is no longer there to say which plan that was."""
        touched = set()
        for obj in objects:
            touched.update(self.actions_touched(obj).values_list("pk", "plan_id"))
        delete()
        state.refresh(Action.objects.filter(pk__in={pk for pk, _ in touched}))
        state.recount({plan_id for _, plan_id in touched})


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


class PlanImportOptions(forms.Form):
    unit = forms.ModelChoiceField(
        OrganisationUnit.objects.all(), required=False, label="Owning unit",
        help_text="For the plans whose rows leave Owning unit blank; a unit the file names wins.",
    )


@admin.register(Plan)
class PlanAdmin(StoresActionState, ImportAdminMixin, SimpleHistoryAdmin):
    # The same import as `manage.py import_plan`: a milestones CSV on its own is recognised by its headers.
    import_label = "plans"
    import_columns = [
        ("Plan rows: one row per action (the first sheet)", spreadsheet.PLAN_COLUMNS),
        (f"Milestones: a sheet named {spreadsheet.MILESTONE_SHEET}, or a CSV of its own", spreadsheet.MILESTONE_COLUMNS),
        (
            f"Progress: a sheet named {spreadsheet.PROGRESS_SHEET}, every progress update (workbooks only)",
            spreadsheet.PROGRESS_COLUMNS,
        ),
    ]
    import_function = spreadsheet.import_plan_file
    import_options_form = PlanImportOptions
    list_display = ["title", "source", "source_date", "unit", "rag_scheme", "status"]
    list_filter = ["source", "status", "rag_scheme", "unit"]
    search_fields = ["title"]
    inlines = [JudgementInline, AreaInline, RecommendationInline]

    def actions_touched(self, obj):
        # Its scheme, source date and update interval feed every action's state.
        return Action.objects.filter(plan_id=obj.pk)

    def has_import_permission(self, request):
        # An import adds and changes plans and their actions: being staff is not enough.
        return all(
            request.user.has_perm(f"actionplans.{verb}_{model}") for verb in ("add", "change") for model in ("plan", "action")
        )


class ActionInline(admin.StackedInline):
    model = Action
    extra = 0
    show_change_link = True
    fields = ["number", "area", "text", "timescale", "due_date_set", "leads"]
    filter_horizontal = ["leads"]


@admin.register(Recommendation)
class RecommendationAdmin(StoresActionState, SimpleHistoryAdmin):
    list_display = ["number", "plan", "area", "short_text", "page_reference"]
    list_filter = ["plan"]
    search_fields = ["number", "text", "plan__title"]
    list_select_related = ["plan", "area"]
    inlines = [ActionInline]

    def actions_touched(self, obj):
        # Its inline edits and adds actions: their timescales and due dates feed their state.
        return Action.objects.filter(recommendation_id=obj.pk)

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

    def save_model(self, request, obj, form, change):
        # An update moved to another action leaves the first one's state to refresh too.
        obj.action_before = ProgressUpdate.objects.filter(pk=obj.pk).values_list("action_id", flat=True).first()
        super().save_model(request, obj, form, change)

    def actions_touched(self, obj):
        return Action.objects.filter(pk__in={obj.action_id, getattr(obj, "action_before", None)} - {None})


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["title"]


@admin.register(InspectionJudgement)
class InspectionJudgementAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "outcome", "judgement"]
    list_filter = ["judgement"]
