"""The pure rules: a quarter's figures, audits against their target, serious exceptions and the 14-day rule."""

from datetime import date
from decimal import Decimal

import pytest

from core.periods import parse_period
from core.rag import GREEN, GREY, RED
from safeguarding import rules

Q4 = parse_period("2009/10 Q4")


def messages(problems):
    return [(problem.breakdown, problem.category, problem.message) for problem in problems]


@pytest.mark.parametrize("totals, lists, expected", [
    # Seed 004 as printed: 192 concerns, sources and gender add up, six types exceed by 56 through 56 multiple cases.
    ({"total": 192, "multiple_abuse": 56},
     {"source": {"Homes": 80, "Police": 112}, "gender": {"Female": 104, "Male": 88},
      "abuse_type": {"Physical": 82, "Psychological": 44, "Financial": 47, "Neglect": 61, "Sexual": 13, "Institutional": 1}},
     []),
    ({"total": 10}, {"source": {"A": 4, "B": 5}}, [("source", "", "The counts by source add up to 9, not the 10 concerns: they must add up to the total")]),
    ({"total": 10}, {"gender": {"F": 6, "M": 5}}, [("gender", "", "The counts by gender add up to 11, not the 10 concerns: they must add up to the total")]),
    ({"total": 10}, {"source": {"A": None, "B": None}}, []),  # not counted: nothing to add up
    ({"total": None}, {"source": {"A": 3}}, [("total", "", "Give the total of concerns: the counts by source need it")]),
    ({"total": -1}, {}, [("total", "", "Cannot be negative")]),
    ({"total": 5}, {"source": {"A": -5, "B": 10}}, [("source", "A", "Cannot be negative")]),
    ({"total": 10}, {"abuse_type": {"Physical": 11}}, [("abuse_type", "Physical", "11 is more than the 10 concerns")]),
    ({"total": 10, "multiple_abuse": 11}, {}, [("multiple_abuse", "", "11 is more than the 10 concerns")]),
    # Types adding up to more than the concerns with no multiple abuse.
    ({"total": 10, "multiple_abuse": 0}, {"abuse_type": {"Physical": 8, "Neglect": 4}},
     [("multiple_abuse", "", "The types of abuse add up to 12, 2 more than the 10 concerns: only cases with multiple "
       "abuse are counted under more than one type, so at least 2 cases had multiple abuse, not 0")]),
    # Two multiple cases over three types can add at most 4.
    ({"total": 10, "multiple_abuse": 2}, {"abuse_type": {"Physical": 8, "Neglect": 4, "Sexual": 3}},
     [("multiple_abuse", "", "The types of abuse add up to 15, 5 more than the 10 concerns: only cases with multiple "
       "abuse are counted under more than one type, so at least 3 cases had multiple abuse, not 2")]),
    ({"total": 10, "multiple_abuse": 2}, {"abuse_type": {"Physical": 8, "Neglect": 4}}, []),
    ({"total": 10}, {"abuse_type": {"Physical": 6, "Neglect": 3}}, []),  # fewer than the concerns is fine
])
def test_figure_problems(totals, lists, expected):
    assert messages(rules.figure_problems(totals, lists)) == expected


@pytest.mark.parametrize("today_month_end, expected", [
    (date(2010, 3, 31), []),  # the quarter has ended by the end of March
    (date(2010, 4, 30), []),
    (date(2010, 2, 28), ["Q4 2009/10 has not ended yet: figures are entered once a quarter has ended"]),
    (date(2009, 12, 31), ["Q4 2009/10 has not begun yet: figures are entered once a quarter has ended"]),
])
def test_a_quarter_is_entered_once_it_has_ended(today_month_end, expected):
    assert [problem.message for problem in rules.quarter_problems(Q4, today_month_end)] == expected


@pytest.mark.parametrize("scores, target, audited, good, serious, colour, reason", [
    ([], 70, 0, 0, 0, GREY, "no case files were audited"),
    (["good"] * 7 + ["adequate"] * 3, 70, 10, 7, 0, GREEN, "7 of 10 good or excellent, 70% meets the target of 70%"),
    (["excellent"] * 8 + ["poor"] * 2, 70, 10, 8, 2, GREEN, "8 of 10 good or excellent, 80% is above the target of 70%"),
    (["good"] * 2 + ["adequate"], 70, 3, 2, 0, RED, "2 of 3 good or excellent, 67% is below the target of 70%"),
    # 69.9% has not met 70%: never rounded up to it.
    (["good"] * 699 + ["poor"] * 301, 70, 1000, 699, 301, RED, "699 of 1000 good or excellent, 69.9% is below the target of 70.0%"),
    (["good"] * 3 + ["unacceptable"], 75, 4, 3, 1, GREEN, "3 of 4 good or excellent, 75% meets the target of 75%"),
])
def test_audit_result(scores, target, audited, good, serious, colour, reason):
    result = rules.audit_result(scores, target)
    assert (result.audited, result.good_or_excellent, result.serious) == (audited, good, serious)
    assert (result.rag.colour, result.rag.reason) == (colour, reason)


def test_audit_percentages():
    result = rules.audit_result(["good", "poor", "adequate", "excellent"])
    assert result.percent == Decimal(50) and result.serious_percent == Decimal(25)
    assert rules.audit_result([]).percent is None


@pytest.mark.parametrize("audited, serious, colour", [
    (0, 0, GREY), (100, 4, GREEN), (100, 5, RED), (21, 1, GREEN), (20, 1, RED), (3, 0, GREEN),
])
def test_serious_exceptions_are_fewer_than_five_percent(audited, serious, colour):
    assert rules.serious_exception_rag(audited, serious).colour == colour


AUDIT = date(2010, 3, 1)


@pytest.mark.parametrize("reported, today, late, words", [
    (date(2010, 3, 15), date(2010, 5, 1), False, "Reported to DMT 14 days after the audit"),
    (date(2010, 3, 16), date(2010, 5, 1), True, "Reported to DMT 15 days after the audit: more than 14 days"),
    (date(2010, 3, 2), date(2010, 5, 1), False, "Reported to DMT 1 day after the audit"),
    (None, date(2010, 3, 15), False, "Not reported to DMT yet: due by 15 March 2010"),
    (None, date(2010, 3, 16), True, "Not reported to DMT 15 days after the audit: it was due by 15 March 2010"),
])
def test_the_14_day_rule(reported, today, late, words):
    report = rules.dmt_report(AUDIT, reported, today)
    assert (report.late, report.words, report.due) == (late, words, date(2010, 3, 15))
