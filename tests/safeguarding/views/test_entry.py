"""The quarter's figures on one page: who may enter, the rules, nothing saved on an error."""

import datetime

import pytest
from django.urls import reverse

from core.periods import parse_period
from performance.models import Figure, Reading
from safeguarding.models import BreakdownCount, Category, QuarterlyReturn, TimelinessMeasure

URL = reverse("safeguarding_entry")
Q4 = parse_period("2009/10 Q4")


@pytest.fixture(autouse=True)
def may_2010(time_machine):
    time_machine.move_to(datetime.datetime(2010, 5, 26, 12), tick=False)


def field(breakdown, name):
    return f"c{Category.objects.get(breakdown=breakdown, name=name).pk}"


def measure(team, number):
    return TimelinessMeasure.objects.get(team=team, indicator__code=f"SG {number:02d}")


def post(client, team, data, quarter="2009/10 Q4"):
    return client.post(URL, {"team": team.pk, "quarter": quarter, **data})


def test_needs_a_login(client, team):
    assert client.get(URL)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name, status", [
    ("sally", 200), ("mandy", 200), ("dmitri", 200), ("ada", 200), ("olivia", 403), ("maurice", 403),
])
def test_who_may_enter(client, everyone, sally, team, name, status):
    client.force_login({**everyone, "sally": sally}[name])
    assert client.get(URL).status_code == status
    assert post(client, team, {"total": "1"}).status_code in ({403} if status == 403 else {302})
    assert QuarterlyReturn.objects.exists() is (status != 403)


def test_it_opens_on_the_last_quarter_ended(client, sally, team):
    client.force_login(sally)
    response = client.get(URL)
    assert response.context["quarter"] == parse_period("2009/10 Q4")  # in May 2010


def test_a_quarter_saved_with_counts_outcomes_and_timeliness(client, sally, team):
    client.force_login(sally)
    response = post(client, team, {
        "total": "192", "multiple_abuse": "56",
        field("gender", "Female"): "104", field("gender", "Male"): "88",
        field("source", "Residential and Nursing Homes"): "180", field("source", "Police"): "12",
        field("abuse_type", "Physical"): "82", field("abuse_type", "Neglect and acts of omission"): "61",
        f"m{measure(team, 3).pk}_numerator": "18", f"m{measure(team, 3).pk}_denominator": "27",
        f"m{measure(team, 5).pk}_value": "50",
        "selected_outcomes": "A prosecution.\nMoney returned.",
    })
    assert response.status_code == 302 and "quarter=Q4+2009%2F10" in response["Location"]
    saved = QuarterlyReturn.objects.get(team=team)
    assert saved.entered_by == sally and saved.selected_outcomes == "A prosecution.\nMoney returned."
    assert BreakdownCount.objects.filter(quarterly_return=saved).count() == 8
    reading = Reading.objects.get(indicator__code="SG 03")
    assert (reading.numerator, reading.denominator, str(round(reading.value, 2))) == (18, 27, "66.67")
    assert Reading.objects.get(indicator__code="SG 05").value == 50
    assert Figure.objects.filter(indicator__code="SG 03", period_start=Q4.start).exists()  # stored for RAG and trend


def test_emptying_a_box_removes_its_count(client, sally, team, quarter_of):
    quarter_of("2009/10 Q4", total=5, source={"Police": 5})
    client.force_login(sally)
    assert post(client, team, {"total": "", field("source", "Police"): ""}).status_code == 302
    assert not BreakdownCount.objects.exists()


@pytest.mark.parametrize("data, field_name, message", [
    ({"total": "10", ("source", "Police"): "4"}, ("group", "source"), "The counts by source of referral add up to 4, not the 10 concerns"),
    ({"total": "10", ("gender", "Female"): "11"}, ("group", "gender"), "The counts by gender add up to 11, not the 10 concerns"),
    ({"total": "-2"}, "total", "Cannot be negative"),
    ({"total": "10", ("source", "Police"): "-1"}, ("source", "Police"), "Cannot be negative"),
    ({"total": "10", ("abuse_type", "Physical"): "12"}, ("abuse_type", "Physical"), "12 is more than the 10 concerns"),
    ({"total": "10", ("abuse_type", "Physical"): "8", ("abuse_type", "Sexual"): "4"}, "multiple_abuse",
     "at least 2 cases had multiple abuse, not 0"),
    ({"total": "ten"}, "total", "Enter a whole number."),
])
def test_an_error_is_shown_on_its_field_and_nothing_is_saved(client, sally, team, data, field_name, message):
    client.force_login(sally)
    form = {field(*key) if isinstance(key, tuple) else key: value for key, value in data.items()}
    response = post(client, team, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem: nothing was saved" in page and message in page
    if isinstance(field_name, tuple) and field_name[0] == "group":
        assert message in " ".join(response.context["form"].group_errors[field_name[1]])
        assert f'id="group-{field_name[1]}"' in page
    else:
        name = field(*field_name) if isinstance(field_name, tuple) else field_name
        assert any(message in error for error in response.context["form"].errors[name])
        assert f'href="#id_{name}"' in page  # the summary links to the field
    assert not QuarterlyReturn.objects.exists() and not Reading.objects.exists()


def test_a_timeliness_error_is_on_its_field_and_stops_the_counts_too(client, sally, team):
    client.force_login(sally)
    numerator = f"m{measure(team, 1).pk}_numerator"
    response = post(client, team, {"total": "10", numerator: "12", f"m{measure(team, 1).pk}_denominator": "10"})
    assert response.status_code == 400
    assert "12 is more than its denominator of 10" in response.context["form"].errors[numerator][0]
    response = post(client, team, {numerator: "12"})
    assert "Denominator" in response.content.decode() or response.context["form"].errors
    assert not QuarterlyReturn.objects.exists() and not Reading.objects.exists()


@pytest.mark.parametrize("quarter, message", [
    ("2010/11 Q1", "Q1 2010/11 has not ended yet"), ("2010/11 Q3", "Q3 2010/11 has not begun yet"),
    ("March", "Enter a quarter like 2009/10 Q4"),
])
def test_a_future_or_unreadable_quarter_is_refused(client, sally, team, quarter, message):
    client.force_login(sally)
    assert message in client.get(URL, {"quarter": quarter}).content.decode()
    response = post(client, team, {"total": "3"}, quarter=quarter)
    assert response.status_code == 400 and message in response.content.decode()
    assert not QuarterlyReturn.objects.exists()


def test_the_form_needs_csrf(sally, team):
    from django.test import Client
    client = Client(enforce_csrf_checks=True)
    client.force_login(sally)
    assert post(client, team, {"total": "3"}).status_code == 403
    assert not QuarterlyReturn.objects.exists()


def test_a_fixed_number_of_queries(client, sally, team, quarter_of, django_assert_max_num_queries):
    quarter_of("2009/10 Q4", total=5, source={"Police": 5})
    client.force_login(sally)
    with django_assert_max_num_queries(14):
        assert client.get(URL).status_code == 200
