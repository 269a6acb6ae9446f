from django.db import migrations, models

CHUNK = 500  # indicators at a time


def fill_target_notes(apps, schema_editor):
    """Each stored figure's target note as the dashboard worked it out until now: where the target stored differs
    from its financial year's, the year to date's share of it, in words."""
    from core import bulk
    from core.periods import FinancialYear, Month, Quarter, months_elapsed_in_financial_year
    from performance import figures

    periods = {"monthly": Month, "quarterly": Quarter, "annual": FinancialYear}
    Figure = apps.get_model("performance", "Figure")
    Indicator = apps.get_model("performance", "Indicator")
    Target = apps.get_model("performance", "Target")
    indicators = {
        pk: (frequency, unit, decimal_places)
        for pk, frequency, unit, decimal_places in Indicator.objects.filter(targets__isnull=False).distinct()
        .order_by("pk").values_list("pk", "frequency", "unit", "decimal_places")
    }
    ids = sorted(indicators)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        annual = {
            (indicator_id, year): (target, bool(profile))
            for indicator_id, year, target, profile in Target.objects.filter(indicator_id__in=chunk)
            .values_list("indicator_id", "financial_year", "target", "monthly_profile")
        }
        rows = []
        for pk, indicator_id, period_start, target in (
            Figure.objects.filter(indicator_id__in=chunk, target__isnull=False).order_by()
            .values_list("pk", "indicator_id", "period_start", "target").iterator(chunk_size=5000)
        ):
            frequency, unit, decimal_places = indicators[indicator_id]
            period = periods[frequency].of(period_start)
            year_target, profiled = annual.get((indicator_id, period.financial_year.first_year), (None, False))
            if year_target is not None and year_target != target:
                months = months_elapsed_in_financial_year(period.end)
                rows.append((pk, figures.pro_rated_note(year_target, months, profiled, unit, decimal_places)))
        bulk.update(Figure, rows, ["target_note"])


class Migration(migrations.Migration):

    dependencies = [
        ('performance', '0003_figure_trend'),
    ]

    operations = [
        migrations.AddField(
            model_name='figure',
            name='target_note',
            field=models.CharField(blank=True, help_text='How the target was worked out from the year\'s when it is the year to date\'s share, in words (figures.pro_rated_note): "6 of 12 months of 1,200"', max_length=200),
        ),
        migrations.RunPython(fill_target_notes, migrations.RunPython.noop),
    ]
