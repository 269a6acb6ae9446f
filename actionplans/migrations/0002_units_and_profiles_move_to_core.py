# State only: the plans' foreign keys now point at core's organisation units, and actionplans
# forgets the two models it no longer owns. The tables are untouched here (see core 0001 and 0002).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("actionplans", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="lead",
                    name="unit",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to="core.organisationunit"),
                ),
                migrations.AlterField(
                    model_name="plan",
                    name="unit",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="plans", to="core.organisationunit", verbose_name="owning unit"),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="unit",
                    field=models.ForeignKey(blank=True, help_text="Blank: the plan's owning unit", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="actions", to="core.organisationunit"),
                ),
                migrations.AlterField(
                    model_name="historicallead",
                    name="unit",
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="core.organisationunit"),
                ),
                migrations.AlterField(
                    model_name="historicalplan",
                    name="unit",
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="core.organisationunit", verbose_name="owning unit"),
                ),
                migrations.AlterField(
                    model_name="historicalaction",
                    name="unit",
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text="Blank: the plan's owning unit", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="core.organisationunit"),
                ),
                migrations.DeleteModel(name="Profile"),
                migrations.RemoveConstraint(model_name="organisationunit", name="unique_unit_name_in_parent"),
                migrations.DeleteModel(name="OrganisationUnit"),
            ],
            database_operations=[],
        ),
    ]
