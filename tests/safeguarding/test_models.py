"""The models' invariants, the lists the data migration loads, and a team's timeliness indicators."""

import pytest
from django.core.exceptions import ValidationError

from core.periods import QUARTERLY
from performance import figures
from performance.models import Indicator
from safeguarding import rules, services
from safeguarding.models import (
    AuditType, BreakdownCount, CaseFileAudit, Category, TimelinessMeasure, TrainingCourse, category_key,
)

pytestmark = pytest.mark.django_db

SEED_SOURCES = [
    "Residential and Nursing Homes", "Primary Care Settings", "Police", "Domiciliary Care providers",
    "Other Social Care settings", "Day Care", "Family Members", "Social Workers direct", "Secondary Health Care",
    "Other", "Housing", "Self Referrals", "Education", "CQC",
]


def test_the_migration_loads_seed_004s_sources_in_the_order_printed_then_the_collections():
    names = [category.name for category in Category.objects.filter(breakdown="source")]
    assert names[:14] == SEED_SOURCES
    assert {"Mental health staff", "Friend or neighbour"} <= set(names)


def test_seed_004s_abuse_types_answer_to_the_collections_categories():
    lists = Category.objects.by_breakdown()
    by_key = {key: category.name for category in lists["abuse_type"] for key in category.keys()}
    assert [by_key[category_key(name)] for name in ["Physical", "Psychological", "Financial", "Neglect", "Sexual", "Institutional"]] == [
        "Physical", "Psychological", "Financial or material", "Neglect and acts of omission", "Sexual",
        "Organisational or institutional",
    ]
    assert {"Domestic abuse", "Modern slavery", "Self-neglect", "Discriminatory"} <= {c.name for c in lists["abuse_type"]}


@pytest.mark.parametrize("breakdown, names", [
    ("gender", {"Female", "Male"}),
    ("msp_achieved", {"Fully achieved", "Partially achieved", "Not achieved"}),
    ("source_of_risk", {"Service provider", "Other – known to individual", "Other – unknown to individual"}),
    ("age_band", {"18-64", "95 and over"}),
])
def test_every_list_is_loaded(breakdown, names):
    assert names <= set(Category.objects.filter(breakdown=breakdown).values_list("name", flat=True))


def test_audit_types_carry_the_plans_targets_and_courses_are_loaded():
    targets = dict(AuditType.objects.values_list("name", "target_percent"))
    assert targets == {"Risk assessment": 70, "Protection plan": 70, "Strategy meeting notes": 75, "Case file": 70,
                       "Supervision": 70}
    assert {"Alerter", "Manager for investigators", "Refresher for investigators"} <= set(
        TrainingCourse.objects.values_list("name", flat=True))


@pytest.mark.parametrize("written, key", [
    ("Self  Referrals", "selfreferrals"), ("care home - NURSING", "carehome-nursing"), ("Care home – nursing", "carehome-nursing"),
])
def test_category_names_match_ignoring_case_spacing_and_dashes(written, key):
    assert category_key(written) == key


def test_a_category_name_cannot_be_another_ones_other_name():
    clash = Category(breakdown="abuse_type", name="Financial")
    with pytest.raises(ValidationError, match="already names 'Financial or material'"):
        clash.clean()


@pytest.mark.parametrize("reference, ok", [
    ("SG/2010/0288", True), ("123456", True), ("AB-12", True),
    ("John Smith", False), ("Smith", False), ("Mrs Jones 12", False), ("", False),
])
def test_an_audit_keeps_a_case_reference_never_a_name(team, reference, ok):
    audit = CaseFileAudit(team=team, audit_date="2010-03-01", case_reference=reference, auditor="Co-ordinator",
                          audit_type=AuditType.objects.first(), score=rules.GOOD)
    if ok:
        audit.full_clean()
    else:
        with pytest.raises(ValidationError):
            audit.full_clean()


def test_reported_to_dmt_cannot_be_before_the_audit(team):
    audit = CaseFileAudit(team=team, audit_date="2010-03-01", case_reference="1", auditor="x",
                          audit_type=AuditType.objects.first(), score=rules.POOR, reported_to_dmt="2010-02-01")
    with pytest.raises(ValidationError, match="before the audit"):
        audit.full_clean()


def test_a_total_has_no_category_and_a_list_count_one_of_its_own(quarter_of, category):
    saved = quarter_of("2009/10 Q4", total=1)
    with pytest.raises(ValidationError, match="one number"):
        BreakdownCount(quarterly_return=saved, breakdown="total", category=category("source", "Police"), count=1).clean()
    with pytest.raises(ValidationError, match="not in the type of abuse list"):
        BreakdownCount(quarterly_return=saved, breakdown="abuse_type", category=category("source", "Police"), count=1).clean()


def test_setting_up_a_team_makes_its_timeliness_measures_quarterly_indicators_once(team_unit):
    team = services.set_up_team(unit=team_unit)
    again = services.set_up_team(unit=team_unit)
    assert again == team
    assert TimelinessMeasure.objects.filter(team=team).count() == len(rules.TIMELINESS) == 7
    indicators = Indicator.objects.filter(safeguarding_measure__team=team).order_by("code")
    assert [i.code for i in indicators] == [f"SG {n:02d}" for n in range(1, 8)]
    assert {i.frequency for i in indicators} == {QUARTERLY}
    assert {i.unit_owner for i in indicators} == {team_unit}
    response = indicators.get(code="SG 01")
    assert (response.unit, response.aggregation, response.polarity) == (figures.PERCENT, figures.RATIO, figures.HIGHER)
    median = indicators.get(code="SG 05")
    assert (median.unit, median.aggregation, median.polarity) == (figures.DAYS, figures.LATEST, figures.LOWER)
