from django.db import migrations, models

CHUNK = 5000  # figures at a time


def fill_sparklines(apps, schema_editor):
    """Each stored figure's sparkline geometry, from the trend stored beside it: the dashboard draws the same
    sparklines before and after the upgrade."""
    from core import bulk
    from performance.charts import sparkline_geometry
    from performance.models import trend_for_drawing

    Figure = apps.get_model("performance", "Figure")
    last = 0
    while True:
        found = list(Figure.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "trend")[:CHUNK])
        if not found:
            return
        rows = [(pk, sparkline_geometry(trend_for_drawing(trend))) for pk, trend in found]
        bulk.update(Figure, rows, ["sparkline"])
        last = found[-1][0]


class Migration(migrations.Migration):

    dependencies = [
        ('performance', '0004_figure_target_note'),
    ]

    operations = [
        migrations.AddField(
            model_name='figure',
            name='sparkline',
            field=models.TextField(blank=True, help_text="Where the dashboard's sparkline of the trend places its points (charts.sparkline_geometry), kept with the trend it is drawn from: placing a hundred a page was a tenth of the dashboard's time"),
        ),
        migrations.RunPython(fill_sparklines, migrations.RunPython.noop),
    ]
