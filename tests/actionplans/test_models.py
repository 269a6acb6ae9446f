"""What the models own: an action's plan, its due date and rating, and the version that
stops a second save from silently overwriting the first."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionplans import rag
from actionplans.models import Action

from ..factories import AreaFactory, PlanFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def test_action_derives_due_date_and_rag(action):
    assert action.due_date == datetime.date(2011, 3, 31)
    assert action.rag_on(datetime.date(2011, 4, 1)).colour == rag.RED
    assert action.rag_on(datetime.date(2011, 3, 31)).colour == rag.GREEN


def test_an_action_added_under_a_recommendation_takes_its_plan(plan):
    area = AreaFactory(plan=plan)
    recommendation = RecommendationFactory(plan=plan, area=area)
    action = Action(area=area, recommendation=recommendation, number="9", text="Added from the admin inline")
    action.full_clean(exclude=["plan"])
    action.save()
    assert action.plan_id == plan.pk


def test_an_action_cannot_mix_plans(plan):
    other_area = AreaFactory(plan=PlanFactory())
    action = Action(plan=plan, area=other_area, number="9", text="Wrong area")
    with pytest.raises(ValidationError, match="area must belong to the action's plan"):
        action.full_clean()


def test_each_save_bumps_the_version(action):
    before = action.version
    action.text = "Reworded"
    action.save()
    assert Action.objects.get(pk=action.pk).version == before + 1


# Found in review. The admin has no test file of its own; its action form keeps the
# version it showed (seen_version), as the services do.
def test_admin_refuses_a_save_made_over_someone_elses(client, ada, action):
    client.force_login(ada)
    url = reverse("admin:actionplans_action_change", args=[action.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({
        "plan": action.plan_id, "area": action.area_id, "number": action.number, "text": "Mine",
        "timescale": action.timescale, "leads": [lead.pk for lead in action.leads.all()],
        "seen_version": action.version,
        "milestones-TOTAL_FORMS": 0, "milestones-INITIAL_FORMS": 0,
        "progress_updates-TOTAL_FORMS": 0, "progress_updates-INITIAL_FORMS": 0,
    })
    data.pop("recommendation", None), data.pop("cross_reference", None), data.pop("completion_proposed_by", None)
    data.pop("due_date_set", None), data.pop("completion_proposed_on", None), data.pop("unit", None)
    action.text = "Theirs"
    action.save()  # someone else saves first
    response = client.post(url, data)
    assert response.status_code == 200
    assert "while you were editing it" in response.content.decode()
    action.refresh_from_db()
    assert action.text == "Theirs"
