"""A database created before units and profiles moved to core upgrades with `migrate` and loses nothing."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("actionplans", "0001_initial"), ("core", None)]


@pytest.mark.django_db(transaction=True)
def test_units_profiles_and_their_links_survive_the_move_to_core():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state([("actionplans", "0001_initial")]).apps
    User = old.get_model("auth", "User")
    Unit = old.get_model("actionplans", "OrganisationUnit")
    OldProfile = old.get_model("actionplans", "Profile")
    Plan = old.get_model("actionplans", "Plan")
    Lead = old.get_model("actionplans", "Lead")
    directorate = Unit.objects.create(name="Adult Social Care", level="directorate")
    division = Unit.objects.create(name="OPPD", level="division", parent=directorate)
    user = User.objects.create(username="mandy")
    OldProfile.objects.create(user=user, unit=division, role="manager")
    Plan.objects.create(title="Sefton improvement plan", unit=division, rag_scheme="improvement")
    Lead.objects.create(name="Head of Safeguarding - AH", name_key="head of safeguarding - ah", unit=division)

    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        from actionplans.models import Lead as NewLead, Plan as NewPlan
        from core.models import OrganisationUnit, Profile

        assert {(u.pk, u.name, u.parent_id) for u in OrganisationUnit.objects.all()} == {
            (directorate.pk, "Adult Social Care", None),
            (division.pk, "OPPD", directorate.pk),
        }
        profile = Profile.objects.get()
        assert (profile.user.username, profile.unit_id, profile.role) == ("mandy", division.pk, "manager")
        assert NewPlan.objects.get().unit_id == division.pk
        assert NewLead.objects.get().unit_id == division.pk
        assert OrganisationUnit._meta.db_table in connection.introspection.table_names()
        assert "actionplans_organisationunit" not in connection.introspection.table_names()
        # New rows still get new ids after the rename (PostgreSQL keeps the old sequence).
        assert OrganisationUnit.objects.create(name="LDMH", parent_id=directorate.pk).pk > division.pk
    finally:
        call_command("migrate", verbosity=0)
