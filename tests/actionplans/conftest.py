import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplans import rag
from core.periods import today

from ..factories import ActionFactory, AreaFactory, LeadFactory, PlanFactory, ProgressUpdateFactory, RecommendationFactory

# Query counts are compared between a plan of SMALL actions and one of LARGE: what matters is that
# the count does not grow, so LARGE only needs to be a few times SMALL.
SMALL, LARGE = 10, 40


def make_plan(size, unit, lead, title=None):
    """A plan of `size` actions over 5 areas and 10 recommendations, each with two progress updates."""
    plan = PlanFactory(title=title or f"Plan of {size}", unit=unit)
    areas = [AreaFactory(plan=plan, order=i) for i in range(5)]
    recommendations = [RecommendationFactory(area=areas[i % 5], plan=plan, number=str(i + 1)) for i in range(10)]
    for n in range(size):
        action = ActionFactory(
            area=areas[n % 5],
            recommendation=recommendations[n % 10] if n % 7 else None,
            number=f"{n % 10 + 1}.{n + 1}",
            timescale=["March 2011", "Ongoing", f"December {today().year + 1}", "Soon"][n % 4],
            leads=[lead, LeadFactory()] if n % 3 == 0 else [lead],
        )
        ProgressUpdateFactory(action=action, date=datetime.date(2010, 6, 30), status=rag.ON_TRACK)
        ProgressUpdateFactory(action=action, date=datetime.date(2010, 9, 30), status=rag.AT_RISK)
    return plan


@pytest.fixture
def plan_of():
    return make_plan


@pytest.fixture
def queries_of(client):
    """How many SQL queries a GET of `url` runs (asserting it answers 200)."""

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(captured)

    return count
