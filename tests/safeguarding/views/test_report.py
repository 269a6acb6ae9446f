"""The quarterly report to the Cabinet Member: seed 004's quarter as printed, who may see it, fixed queries."""

import pytest
from django.urls import reverse

from core.periods import parse_period
from safeguarding import selectors
from tests.safeguarding.views.test_overview import _add_history

URL = reverse("safeguarding_report")


def test_needs_a_login(client, team):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_someone_who_does_not_see_the_team_is_refused(client, maurice, team):
    client.force_login(maurice)
    assert client.get(URL).status_code == 403


def test_seed_004s_quarter_as_printed(client, seeded, mandy_of_sefton):
    client.force_login(mandy_of_sefton)
    response = client.get(URL, {"quarter": "2009/10 Q4"})
    report = response.context["report"]
    assert report.period_words == "1 January 2010 to 31 March 2010"
    assert (report.concerns, report.multiple_abuse) == (192, 56)
    assert [(line.name, line.count) for line in report.gender.lines] == [("Female", 104), ("Male", 88)]
    assert [(line.name, line.count) for line in report.sources.lines] == [
        ("Residential and Nursing Homes", 80), ("Primary Care Settings", 22), ("Police", 12),
        ("Domiciliary Care providers", 13), ("Other Social Care settings", 14), ("Day Care", 5), ("Family Members", 11),
        ("Social Workers direct", 8), ("Secondary Health Care", 7), ("Other", 7), ("Housing", 4), ("Self Referrals", 3),
        ("Education", 3), ("CQC", 3),
    ]
    assert report.sources.total == 192
    assert [line.count for line in report.abuse_types.lines] == [82, 44, 47, 61, 13, 1]
    assert [(line.course, line.agency, line.attendees) for line in report.training] == [
        ("Alerter", "Council, partner and voluntary organisations", 530), ("Alerter", "Voluntary groups linked to CVS", 6),
        ("Manager for investigators", "Council", 11), ("Refresher for investigators", "Council", 12),
    ]
    assert len(report.selected_outcomes) == 4 and report.selected_outcomes[0].startswith("Prosecution of a care worker")
    assert [row.code for row in report.timeliness] == [f"SG {n:02d}" for n in range(1, 8)]
    page = response.content.decode()
    assert "Total referrals (safeguarding concerns) for the period 1 January 2010 to 31 March 2010 numbered 192." in page
    assert "104 female and 88 male adults at risk." in page
    assert "The allegations involved 56 cases of multiple abuse" in page


def test_the_report_is_a_frozen_read_model(seeded):
    report = selectors.quarterly_report(seeded, parse_period("2009/10 Q4"))
    with pytest.raises(AttributeError):
        report.concerns = 1


def test_a_quarter_with_no_figures_says_so(client, team, ada):
    client.force_login(ada)
    page = client.get(URL, {"quarter": "2007/08 Q1"}).content.decode()
    assert "No figures have been entered for Q1 2007/08" in page


@pytest.mark.parametrize("query", ["", "?quarter=2009/10+Q4"])
def test_a_fixed_number_of_queries_whatever_the_number_of_quarters(client, team, category, ada, mandy, query,
                                                                    django_assert_max_num_queries, time_machine):
    import datetime
    time_machine.move_to(datetime.datetime(2010, 5, 26, 12), tick=False)
    _add_history(team, 2, category, ada)
    client.force_login(mandy)
    with django_assert_max_num_queries(REPORT_QUERIES) as few:
        client.get(URL + query)
    _add_history(team, 40, category, ada)
    with django_assert_max_num_queries(REPORT_QUERIES) as many:
        assert client.get(URL + query).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# Session, user, profile, units below the user's, their teams, the quarters with figures, the quarter's figures and
# counts, the categories, training, measures, stored figures and readings (the menu's answer was worked out at
# sign-in).
REPORT_QUERIES = 13
