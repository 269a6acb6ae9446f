"""The admin import of safeguarding figures: upload, preview row by row or every error, confirm or nothing."""

import pytest
from django.urls import reverse

from safeguarding.models import BreakdownCount, QuarterlyReturn

from ..admin_import_pages import confirm, offers_confirm, staging, table_rows, text_of, upload  # noqa: F401 (staging: a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staging")]
URL = reverse("admin:safeguarding_quarterlyreturn_import")
GOOD = b"Quarter,Breakdown,Category,Count\n2009/10 Q4,total,All,192\n2009/10 Q4,gender,Female,104\n2009/10 Q4,gender,male,88\n"


def test_preview_then_confirm(client, ada, team):
    client.force_login(ada)
    preview = upload(client, URL, GOOD, "figures.csv")
    assert offers_confirm(preview) and len(table_rows(preview)) == 3
    assert not QuarterlyReturn.objects.exists()  # a preview saves nothing
    confirm(client, URL, preview)
    saved = QuarterlyReturn.objects.get(team=team)
    assert saved.entered_by == ada and BreakdownCount.objects.filter(quarterly_return=saved).count() == 3


def test_an_unknown_category_is_listed_and_nothing_can_be_confirmed(client, ada, team):
    client.force_login(ada)
    response = upload(client, URL, GOOD + b"2009/10 Q4,source,Milkman,1\n", "figures.csv")
    assert not offers_confirm(response)
    assert "'Milkman' is not in the source of referral list" in text_of(response)
    assert not QuarterlyReturn.objects.exists()


def test_only_those_who_may_add_and_change_returns_import(client, mandy, team):
    client.force_login(mandy)
    assert client.get(URL).status_code in (302, 403)  # not staff: the admin sends her to its login
