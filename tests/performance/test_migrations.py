"""Figures stored before trends were (migration 0003) get their trends from the rated figures stored beside them,
so that the dashboard draws the same sparklines before and after the upgrade."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("performance", "0002_indicator_dashboard_order")]


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_fills_each_stored_figure_s_trend_from_the_months_before_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Indicator, Figure = old.get_model("performance", "Indicator"), old.get_model("performance", "Figure")
    monthly = Indicator.objects.create(code="M 1", name="Monthly", frequency="monthly")
    quarterly = Indicator.objects.create(code="Q 1", name="Quarterly", frequency="quarterly")
    # Monthly from August 2012 (no figure for May 2013: a gap), rated 20, 21, …; quarterly from December 2012.
    for n in range(14):
        month = datetime.date(2012 + (7 + n) // 12, (7 + n) % 12 + 1, 1)
        if month != datetime.date(2013, 5, 1):
            Figure.objects.create(indicator=monthly, month=month, period_start=month, rated_value=20 + n, rag_reason="")
    q3, q4 = datetime.date(2012, 10, 1), datetime.date(2013, 1, 1)
    for month, quarter_start, rated_value in [
        (datetime.date(2012, 12, 1), q3, "1.5"), (datetime.date(2013, 1, 1), q3, "1.5"),
        (datetime.date(2013, 2, 1), q3, "1.5"), (datetime.date(2013, 3, 1), q4, None),
    ]:
        Figure.objects.create(indicator=quarterly, month=month, period_start=quarter_start, rated_value=rated_value,
                              rag_reason="")
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        from performance.models import Figure as NewFigure

        trends = dict(NewFigure.objects.filter(indicator_id=monthly.pk).values_list("month", "trend"))
        assert trends[datetime.date(2012, 8, 1)] == "[" + "null," * 11 + "20]"
        assert trends[datetime.date(2013, 6, 1)] == "[null,20,21,22,23,24,25,26,27,28,null,30]"
        assert trends[datetime.date(2013, 9, 1)] == "[22,23,24,25,26,27,28,null,30,31,32,33]"
        trends = dict(NewFigure.objects.filter(indicator_id=quarterly.pk).values_list("month", "trend"))
        # The 12 months to March 2013: Q4 2011/12 (April, May) to Q4 2012/13 (March), this last with no rated figure.
        assert trends[datetime.date(2013, 3, 1)] == "[null,null,null,1.5,null]"
    finally:
        call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_words_each_year_to_date_share_of_a_target_as_the_dashboard_did():
    before = [("performance", "0003_figure_trend")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Indicator, Target = old.get_model("performance", "Indicator"), old.get_model("performance", "Target")
    Figure = old.get_model("performance", "Figure")
    summed = Indicator.objects.create(code="S 1", name="Summed", unit="count", aggregation="sum", rated_figure="ytd")
    profiled = Indicator.objects.create(code="P 1", name="Profiled", unit="money", aggregation="sum", rated_figure="ytd",
                                        decimal_places=2)
    plain = Indicator.objects.create(code="V 1", name="Plain", unit="percent")
    Target.objects.create(indicator=summed, financial_year=2013, target=1200)
    Target.objects.create(indicator=profiled, financial_year=2013, target=3600, monthly_profile=[2] * 6 + [1] * 6)
    Target.objects.create(indicator=plain, financial_year=2013, target=30)
    september, march = datetime.date(2013, 9, 1), datetime.date(2014, 3, 1)
    for indicator, month, target in [(summed, september, 600), (summed, march, 1200), (profiled, september, 2400),
                                     (plain, september, 30)]:
        Figure.objects.create(indicator=indicator, month=month, period_start=month, target=target, rag_reason="")
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        from performance.models import Figure as NewFigure

        notes = {(code, month): note for code, month, note in
                 NewFigure.objects.values_list("indicator__code", "month", "target_note")}
        assert notes == {
            ("S 1", september): "6 of 12 months of 1,200",
            ("S 1", march): "",  # the whole year: the year's target
            ("P 1", september): "6 of 12 months of £3,600.00, by the monthly profile",
            ("V 1", september): "",
        }
    finally:
        call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_keeps_each_stored_figure_s_sparkline_geometry_drawn_from_its_trend():
    from performance import charts
    from performance.models import trend_points

    before = [("performance", "0004_figure_target_note")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Indicator, Figure = old.get_model("performance", "Indicator"), old.get_model("performance", "Figure")
    indicator = Indicator.objects.create(code="M 1", name="Monthly", frequency="monthly")
    trends = {
        datetime.date(2013, 7, 1): "[null,20,21.5,22,23,24,25,26,27,28,null,30]",
        datetime.date(2013, 8, 1): "[" + "null," * 11 + "20]",
        datetime.date(2013, 9, 1): "[" + "null," * 11 + "null]",
        datetime.date(2013, 10, 1): "[5,5,5]",
    }
    for month, trend in trends.items():
        Figure.objects.create(indicator=indicator, month=month, period_start=month, rag_reason="", trend=trend)
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        from performance.models import Figure as NewFigure

        kept = dict(NewFigure.objects.filter(indicator_id=indicator.pk).values_list("month", "sparkline"))
        assert kept == {month: charts.sparkline_geometry(trend_points(trend)) for month, trend in trends.items()}
        assert kept[datetime.date(2013, 7, 1)].count("|") == 1  # two runs: the gap in the middle splits the line
        assert kept[datetime.date(2013, 9, 1)] == ""
    finally:
        call_command("migrate", verbosity=0)
