from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_import import ImportAdminMixin

from . import spreadsheet, state
from .models import Benchmark, Comparator, Indicator, Reading, Target


class RefreshesFigures:
    """After an admin save or delete, the indicators it touched get their stored figures again (state.refresh)."""

    def indicator_ids(self, obj):
        return [obj.indicator_id]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A reading or target moved to another indicator leaves the one it came from to work out again too.
        moved_from = form.initial.get("indicator") if change else None
        state.refresh({*self.indicator_ids(obj), *([moved_from] if moved_from else [])})

    def delete_model(self, request, obj):
        touched = self.indicator_ids(obj)
        super().delete_model(request, obj)
        state.refresh(touched)

    def delete_queryset(self, request, queryset):
        touched = {pk for obj in queryset for pk in self.indicator_ids(obj)}
        super().delete_queryset(request, queryset)
        state.refresh(touched)


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(RefreshesFigures, ImportAdminMixin, SimpleHistoryAdmin):
    # The same import as `manage.py import_indicators`: which of the four formats a file is comes from its headers.
    import_label = "indicators, targets, readings or benchmarks"
    import_columns = [
        (f"{spreadsheet.FORMAT_LABELS[kind]}: one file of one format", columns)
        for kind, columns in spreadsheet.COLUMNS.items()
    ]
    import_function = spreadsheet.import_indicator_file
    list_display = ["code", "name", "unit_owner", "domain", "frequency", "polarity", "accountable"]
    list_filter = ["frequency", "unit", "polarity", "unit_owner", "domain"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["actions"]
    inlines = [TargetInline]

    def indicator_ids(self, obj):
        return [obj.pk]

    def save_model(self, request, obj, form, change):
        admin.ModelAdmin.save_model(self, request, obj, form, change)  # worked out once, in save_related

    def import_options_for(self, request):
        return {"entered_by": request.user}  # readings say who entered them

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        state.refresh([form.instance.pk])  # the targets inline is saved after the indicator

    def has_import_permission(self, request):
        # An import can write any of the four tables.
        return all(
            request.user.has_perm(f"performance.{verb}_{model}")
            for verb in ("add", "change") for model in ("indicator", "target", "reading", "benchmark")
        )


@admin.register(Target)
class TargetAdmin(RefreshesFigures, SimpleHistoryAdmin):
    list_display = ["indicator", "year", "target", "minimum_standard"]
    list_filter = ["financial_year"]
    search_fields = ["indicator__code", "indicator__name"]


@admin.register(Reading)
class ReadingAdmin(RefreshesFigures, SimpleHistoryAdmin):
    list_display = ["indicator", "period_start", "value", "numerator", "denominator", "provisional", "entered_by"]
    list_filter = ["provisional", "indicator__frequency"]
    search_fields = ["indicator__code", "indicator__name"]
    raw_id_fields = ["indicator", "entered_by"]


@admin.register(Comparator)
class ComparatorAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Benchmark)
class BenchmarkAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "comparator", "period_start", "value"]
    search_fields = ["indicator__code", "comparator__name"]
