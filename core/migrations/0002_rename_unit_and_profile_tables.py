# The tables take core's names. Renaming keeps every row and id; foreign keys follow the table
# (PostgreSQL by oid, SQLite 3.26+ rewrites the references). Content types move too, so the
# permissions already given on units and profiles stay given.

from django.db import migrations

MOVED = ["organisationunit", "profile"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label="actionplans", model=model).update(app_label="core")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="actionplans", model=model).exists():
            ContentType.objects.filter(app_label="core", model=model).update(app_label="actionplans")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("actionplans", "0002_units_and_profiles_move_to_core"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="organisationunit", table=None),
        migrations.AlterModelTable(name="profile", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
