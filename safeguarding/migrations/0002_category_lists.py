"""The category lists, audit types and training courses as first loaded (`safeguarding/lists.py` says where each
comes from)."""

from django.db import migrations

from safeguarding import lists


def load(apps, schema_editor):
    lists.load(apps.get_model("safeguarding", "Category"), apps.get_model("safeguarding", "AuditType"),
               apps.get_model("safeguarding", "TrainingCourse"))


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0001_quarterly_figures_audits_training")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
