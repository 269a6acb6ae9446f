"""The safeguarding overview: who may see it, what it shows, and a fixed number of queries."""

import datetime
import re

import pytest
from django.urls import reverse

from core.periods import parse_period
from safeguarding import services
from safeguarding.models import AuditType, CaseFileAudit, TrainingCourse, TrainingSession

URL = reverse("safeguarding_overview")


@pytest.fixture(autouse=True)
def may_2010(time_machine):
    time_machine.move_to(datetime.datetime(2010, 5, 26, 12), tick=False)


def test_needs_a_login(client, team):
    assert client.get(URL)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name, status", [
    ("sally", 200), ("olivia", 200), ("mandy", 200), ("dmitri", 200), ("ada", 200), ("maurice", 403),
])
def test_who_may_see_it(client, everyone, sally, team, name, status):
    client.force_login({**everyone, "sally": sally}[name])
    response = client.get(URL)
    assert response.status_code == status
    assert ('href="/safeguarding/"' in response.content.decode()) is (status == 200)


def test_the_menu_offers_safeguarding_to_those_who_see_it(client, olivia, maurice, team):
    client.force_login(olivia)
    assert ">Safeguarding</a>" in client.get(reverse("home")).content.decode()
    client.force_login(maurice)
    assert ">Safeguarding</a>" not in client.get(reverse("home")).content.decode()


def test_an_admin_with_no_team_is_told_how_to_set_one_up(client, ada):
    client.force_login(ada)
    response = client.get(URL)
    assert response.status_code == 200 and "No safeguarding team is set up yet" in response.content.decode()


def test_a_team_the_user_does_not_see_is_404(client, mandy, team, other_division):
    other = services.set_up_team(unit=other_division, indicator_prefix="LD")
    client.force_login(mandy)
    assert client.get(URL, {"team": other.pk}).status_code == 404


def test_the_seeded_quarter_against_the_one_before_and_last_year(client, seeded, ada):
    client.force_login(ada)
    response = client.get(URL)
    page = response.content.decode()
    assert response.context["overview"].quarter == parse_period("2009/10 Q4")
    overview = response.context["overview"]
    assert overview.totals[0].counts == (192, 178, 142)
    assert overview.totals[0].change_on_previous == "+14" and overview.totals[0].change_on_last_year == "+50"
    assert overview.sources.rows[0].name == "Residential and Nursing Homes" and overview.sources.rows[0].latest == 80
    assert [row.latest for row in overview.abuse_types.rows] == [82, 44, 47, 61, 13, 1]
    # Charts drawn on the server with a text alternative, and their data tables.
    assert page.count('class="app-bar-chart" role="img"') == 2
    assert re.search(r'aria-label="Source of referral in Q4 2009/10\. Bar chart of 14 categories; bars for Q4 2009/10, '
                     r'Q3 2009/10, Q4 2008/09\. Largest in Q4 2009/10: Residential and Nursing Homes 80', page)
    assert 'id="sources-table"' in page and 'id="abuse-types-table"' in page
    assert "Seed 004, agenda item 7" in page


def test_timeliness_with_rag_audits_against_target_and_the_14_day_warning(client, seeded, ada):
    client.force_login(ada)
    overview = client.get(URL).context["overview"]
    review = next(row for row in overview.timeliness if row.code == "SG 03")
    assert (review.counts_text, review.value_text, review.target_text) == ("18 of 27", "66.7%", "70.0%")
    assert review.rag.colour == "amber" and "below the target of 70.0%" in review.rag.reason
    assert len(review.trend) == 8
    audits = overview.audits
    assert (audits.overall.audited, audits.overall.good_or_excellent, audits.overall.serious) == (9, 5, 3)
    assert audits.overall.rag.colour == "red"  # 56% short of 70%
    assert audits.serious_rag.colour == "red"
    late = {exception.case_reference: exception.dmt.late for exception in audits.exceptions}
    assert late == {"SG/2010/0150": True, "SG/2010/0288": False, "SG/2010/0342": True}
    page = client.get(URL).content.decode()
    assert 'id="dmt-warning"' in page and "2 serious exceptions reached DMT" in page


def test_training_totals(client, seeded, ada):
    client.force_login(ada)
    overview = client.get(URL).context["overview"]
    assert overview.training_total.counts == (559, 154, 105)
    assert {row.name: row.latest for row in overview.training}["Alerter"] == 536


def test_a_quarter_that_cannot_be_shown_is_an_error_on_its_field(client, seeded, ada):
    client.force_login(ada)
    for asked, message in [("2010/11 Q1", "Q1 2010/11 has not ended yet"), ("2010-03", "not a month or a year"),
                           ("soon", "Enter a quarter like 2009/10 Q4")]:
        response = client.get(URL, {"quarter": asked})
        assert response.status_code == 400
        assert 'href="#quarter"' in response.content.decode() and message in response.content.decode()


def test_a_quarter_with_no_figures_says_so(client, seeded, ada):
    client.force_login(ada)
    page = client.get(URL, {"quarter": "2007/08 Q1"}).content.decode()
    assert "No figures have been entered for Q1 2007/08" in page


def _add_history(team, quarters, category, ada):
    """`quarters` quarters of figures, audits and training before 2009/10 Q4."""
    audit_type, course = AuditType.objects.first(), TrainingCourse.objects.first()
    for n in range(quarters):
        quarter = parse_period("2009/10 Q4").shift(-n)
        services.save_quarter(team=team, quarter=quarter, user=ada, counts={
            ("total", None): 10, ("source", category("source", "Police")): 10,
            ("abuse_type", category("abuse_type", "Physical")): 10,
        })
        CaseFileAudit.objects.create(team=team, audit_date=quarter.start, case_reference=f"C{n}", auditor="x",
                                     audit_type=audit_type, score="poor")
        TrainingSession.objects.create(team=team, course=course, date=quarter.start, agency="Council", attendees=3)


@pytest.mark.parametrize("query", ["", "?quarter=2009/10+Q4"])
def test_a_fixed_number_of_queries_whatever_the_number_of_quarters(client, team, category, ada, mandy, query,
                                                                    django_assert_max_num_queries):
    _add_history(team, 2, category, ada)
    client.force_login(mandy)
    with django_assert_max_num_queries(OVERVIEW_QUERIES) as few:
        client.get(URL + query)
    _add_history(team, 40, category, ada)
    with django_assert_max_num_queries(OVERVIEW_QUERIES) as many:
        assert client.get(URL + query).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# Session, user with their profile, units below the user's, their teams, the quarters with figures, the three quarters'
# figures and counts, the categories, training, measures, stored figures, readings, audits and audit types (the
# menu's answer was worked out at sign-in).
OVERVIEW_QUERIES = 14
