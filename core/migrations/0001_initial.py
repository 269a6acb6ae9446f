# Organisation units and profiles move here from actionplans. This migration only tells Django's
# state that core owns them, still in their old tables; 0002 renames the tables, so no row is copied
# or lost (tests/core/test_migrations.py upgrades a database of the old shape).
#
# The one place core depends on an app: its history starts inside actionplans 0001. When the
# migrations are next squashed, core 0001 should create its own tables and this dependency go.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("actionplans", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OrganisationUnit",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=200)),
                        ("short_name", models.CharField(blank=True, help_text="As committee papers write it, e.g. OPPD", max_length=30)),
                        ("level", models.CharField(choices=[("directorate", "Directorate"), ("division", "Division"), ("team", "Team")], default="team", max_length=20)),
                        ("parent", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="children", to="core.organisationunit")),
                    ],
                    options={"ordering": ["name"], "db_table": "actionplans_organisationunit"},
                ),
                migrations.AddConstraint(
                    model_name="organisationunit",
                    constraint=models.UniqueConstraint(fields=("name", "parent"), name="unique_unit_name_in_parent"),
                ),
                migrations.CreateModel(
                    name="Profile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(choices=[("officer", "Officer"), ("manager", "Manager")], default="officer", max_length=20)),
                        ("unit", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to="core.organisationunit")),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="profile", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "actionplans_profile"},
                ),
            ],
            database_operations=[],
        ),
    ]
