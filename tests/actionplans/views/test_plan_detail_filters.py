"""The plan page and its downloads filtered by area, lead, status, RAG, overdue and update overdue."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from actionplans import rag

from ...factories import ActionFactory, AreaFactory, LeadFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(plan, lead):
    leadership, choice = AreaFactory(plan=plan, title="Leadership", order=0), AreaFactory(plan=plan, title="Choice", order=1)
    late = ActionFactory(area=leadership, number="1", timescale="March 2011", leads=[lead])
    ProgressUpdateFactory(action=late, date=datetime.date(2010, 6, 30), status=rag.AT_RISK)
    ActionFactory(area=leadership, number="2", timescale="December 2099", leads=[LeadFactory(name="Head of Safeguarding - AH")])
    ActionFactory(area=choice, number="3", timescale="Completed")
    return {"leadership": leadership, "choice": choice}


def numbers(client, plan, query):
    return [row.number for row in client.get(reverse("plan_detail", args=[plan.pk]) + query).context["report"].rows]


def test_each_filter(client, mandy, plan, lead, actions):
    client.force_login(mandy)
    assert numbers(client, plan, "") == ["1", "2", "3"]
    assert numbers(client, plan, f"?area={actions['choice'].pk}") == ["3"]
    assert numbers(client, plan, f"?lead={lead.pk}") == ["1"]
    assert numbers(client, plan, "?status=at_risk") == ["1"]
    assert numbers(client, plan, "?rag=blue") == ["3"]
    assert numbers(client, plan, "?overdue=true") == ["1"]
    assert numbers(client, plan, "?update_overdue=true&rag=green") == ["2"]


def test_a_value_not_of_this_plan_is_said_and_left_out(client, mandy, plan, actions):
    client.force_login(mandy)
    response = client.get(reverse("plan_detail", args=[plan.pk]) + "?area=999999&status=cancelled")
    assert [row.number for row in response.context["report"].rows] == ["1", "2", "3"]
    response = client.get(reverse("plan_detail", args=[plan.pk]) + "?area=999999&rag=blue")
    assert [row.number for row in response.context["report"].rows] == ["3"]
    assert "That area is not one of the choices" in response.content.decode()


def test_the_download_has_the_actions_shown(client, mandy, plan, actions):
    client.force_login(mandy)
    page = client.get(reverse("plan_detail", args=[plan.pk]) + "?rag=red").content.decode()
    assert "rag=red" in page.split("CSV spreadsheet")[0].rsplit("href=", 1)[1]
    content = client.get(reverse("plan_detail", args=[plan.pk]) + "?rag=red&format=csv").content.decode()
    assert [row["Action No"] for row in csv.DictReader(io.StringIO(content))] == ["1"]


def test_a_day_before_the_plan_existed_is_said(client, mandy, plan, actions):
    client.force_login(mandy)
    response = client.get(reverse("plan_detail", args=[plan.pk]) + "?as_at=2009-01-01")
    page = response.content.decode()
    assert "The plan did not exist yet on 1 January 2009: its source date is 31 March 2010" in page
    # No plan of Greens for a day nobody could have rated it: no counts, no rows, no downloads.
    assert 'class="app-summary-counts"' not in page and "app-action-row" not in page and "format=csv" not in page
