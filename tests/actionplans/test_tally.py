"""Each plan's ActionTally counts its actions' stored state, whatever changed them (test_state.py plays random
sequences of updates, imports and days passing; here, what removes actions and what upgrades a database)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import state
from actionplans.models import Action, ActionTally, Plan

from ..factories import ActionFactory, AreaFactory

pytestmark = pytest.mark.django_db


def tally_of(plan):
    return ActionTally.objects.filter(plan=plan).values(*ActionTally.COUNTS).get()


def test_a_new_action_is_counted_with_its_plan(plan):
    ActionFactory(area=AreaFactory(plan=plan), number="1", timescale="March 2011")
    assert tally_of(plan)["red_count"] == 1 and tally_of(plan)["overdue_count"] == 1


def test_deleting_actions_in_the_admin_counts_their_plan_again(admin_client, plan):
    area = AreaFactory(plan=plan)
    first, second, third = (ActionFactory(area=area, number=str(n), timescale="March 2011") for n in (1, 2, 3))
    admin_client.post(reverse("admin:actionplans_action_delete", args=[first.pk]), {"post": "yes"})
    assert tally_of(plan)["red_count"] == 2
    admin_client.post(
        reverse("admin:actionplans_action_changelist"),
        {"action": "delete_selected", "_selected_action": [second.pk, third.pk], "post": "yes"},
    )
    assert not Action.objects.exists()
    assert tally_of(plan)["red_count"] == 0


def test_recount_with_nothing_changed_writes_nothing_and_a_plan_without_actions_counts_none(plan):
    state.recount([plan.pk])
    assert set(tally_of(plan).values()) == {0}
    ActionFactory(area=AreaFactory(plan=plan), number="1", timescale="Ongoing")
    with CaptureQueriesContext(connection) as queries:
        state.recount([plan.pk])
    assert not [query for query in queries.captured_queries if query["sql"].startswith("UPDATE")]
    assert tally_of(plan)["green_count"] == 1


def test_a_tally_fixed_by_hand_is_put_right_by_the_nightly_rating(plan):
    ActionFactory(area=AreaFactory(plan=plan), number="1", timescale="March 2011")
    ActionTally.objects.filter(plan=plan).update(red_count=99)
    call_command("rerate_actions", verbosity=0)
    assert tally_of(plan)["red_count"] == 1


@pytest.mark.django_db(transaction=True)
def test_upgrading_a_database_counts_the_plans_already_there(plan):
    area = AreaFactory(plan=plan)
    ActionFactory(area=area, number="1", timescale="March 2011")
    ActionFactory(area=area, number="2", timescale="Completed")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("actionplans", "0006_fewer_action_indexes")])
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        counts = tally_of(Plan.objects.get())
        assert (counts["red_count"], counts["blue_count"], counts["completed_count"]) == (1, 1, 1)
        assert counts["overdue_count"] == 1
    finally:
        call_command("migrate", verbosity=0)


def _form_data(html, form_id):
    """What a browser would send back of the admin form `form_id` as the page shows it."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self.inside, self.select, self.textarea = {}, False, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.inside = attrs.get("id") == form_id
            if not self.inside or not attrs.get("name"):
                if tag == "option" and self.select and "selected" in attrs:
                    self.data.setdefault(self.select, []).append(attrs.get("value", ""))
                return
            name = attrs["name"]
            if tag == "input" and attrs.get("type") not in ("submit", "button", "checkbox", "radio"):
                self.data.setdefault(name, []).append(attrs.get("value", ""))
            elif tag == "input" and "checked" in attrs:
                self.data.setdefault(name, []).append(attrs.get("value", "on"))
            elif tag == "select":
                self.select = name
            elif tag == "textarea":
                self.textarea = name
                self.data.setdefault(name, []).append("")

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None
            elif tag == "form":
                self.inside = False

        def handle_data(self, data):
            if self.textarea:
                self.data[self.textarea][-1] += data

    fields = Fields()
    fields.feed(html)
    return fields.data


def test_moving_an_action_to_another_plan_in_the_admin_counts_both_plans(admin_client, plan):
    """The list of every action is counted from the tallies: an action moved leaves its old plan's count at once."""
    action = ActionFactory(area=AreaFactory(plan=plan), number="1", timescale="March 2011")
    other_area = AreaFactory()
    url = reverse("admin:actionplans_action_change", args=[action.pk])
    data = _form_data(admin_client.get(url).content.decode(), "action_form")
    data.update(plan=[str(other_area.plan_id)], area=[str(other_area.pk)])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Action.objects.get(pk=action.pk).plan_id == other_area.plan_id
    assert tally_of(plan)["red_count"] == 0
    assert tally_of(other_area.plan)["red_count"] == 1


def test_deleting_every_action_of_a_recommendation_in_its_inline_counts_its_plan_again(admin_client, plan):
    from ..factories import RecommendationFactory

    recommendation = RecommendationFactory(area=AreaFactory(plan=plan))
    for number in ("1.1", "1.2"):
        ActionFactory(area=recommendation.area, recommendation=recommendation, number=number, timescale="March 2011")
    assert tally_of(plan)["red_count"] == 2
    url = reverse("admin:actionplans_recommendation_change", args=[recommendation.pk])
    data = _form_data(admin_client.get(url).content.decode(), "recommendation_form")
    prefix = next(name[: -len("-TOTAL_FORMS")] for name in data if name.endswith("-TOTAL_FORMS") and "action" in name)
    for n in range(2):
        data[f"{prefix}-{n}-DELETE"] = ["on"]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Action.objects.filter(recommendation=recommendation).exists()
    assert tally_of(plan)["red_count"] == 0
