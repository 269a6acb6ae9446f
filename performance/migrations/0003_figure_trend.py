from django.db import migrations, models

CHUNK = 500  # indicators at a time: their stored figures are held in memory at once


def fill_trends(apps, schema_editor):
    """Each stored figure's trend, from the rated figures already stored for its 12 months: what the dashboard read
    until now, so that pages show the same before and after."""
    from core import bulk
    from core.periods import Month
    from performance import figures
    from performance.models import trend_point_text

    Figure = apps.get_model("performance", "Figure")
    Indicator = apps.get_model("performance", "Indicator")
    ids = list(Indicator.objects.filter(figures__isnull=False).distinct().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows, rated, last_indicator = [], {}, None
        for pk, indicator_id, frequency, month, rated_value in (
            Figure.objects.filter(indicator_id__in=chunk).order_by("indicator_id", "month")
            .values_list("pk", "indicator_id", "indicator__frequency", "month", "rated_value").iterator(chunk_size=5000)
        ):
            if indicator_id != last_indicator:
                rated, last_indicator = {}, indicator_id
            rated[month] = trend_point_text(rated_value)
            points = figures.trend(rated, frequency, Month.of(month))
            rows.append((pk, "[" + ",".join(point or "null" for point in points) + "]"))
        bulk.update(Figure, rows, ["trend"])


class Migration(migrations.Migration):

    dependencies = [
        ('performance', '0002_indicator_dashboard_order'),
    ]

    operations = [
        migrations.AddField(
            model_name='figure',
            name='trend',
            field=models.TextField(blank=True, help_text="The rated figure of each period answering in the 12 months to the month, oldest first, null for a gap (figures.trend; trend_text): the dashboard's sparkline, read with the row rather than from 12 months"),
        ),
        migrations.RunPython(fill_trends, migrations.RunPython.noop),
    ]
