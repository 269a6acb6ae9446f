"""Indicators at county scale and beyond: 2,000 indicators with 120 months of readings each (240,000 readings).

The data goes in through `import_indicators`' importer, as a council's files would (one indicators file, one
targets file, then the readings in two files: the first 100,000 readings timed against the issue's target of
30 s). Then, in one process, the dashboard (one unit's 60 indicators, and the first page unfiltered), an
indicator page and the data entry page (an officer accountable for 60 indicators) are requested several times
and reported as their SQL queries, median time as a multiple of the anonymous login page's, and peak memory.
Targets (issue 13): at most 15 queries, 10 times the floor and 20 MiB. Nothing is asserted.

    .venv/bin/python scripts/benchmark.py --scale indicators
    DATABASE_URL=postgres://... .venv/bin/python scripts/benchmark.py --scale indicators
"""

import csv
import io
import time

import benchmark_scale

INDICATORS = 2_000
MONTHS = 120  # April 2004 to March 2014
UNITS = 34  # about 60 indicators each
FIRST_YEAR = 2004
FIRST_READINGS_FILE = 100_000
KINDS = [  # unit, polarity, aggregation, rated figure
    ("percent", "higher", "ratio", "ytd"),
    ("count", "higher", "sum", "ytd"),
    ("percent", "lower", "latest", "value"),
    ("rate_per_10000", "lower", "ratio", "rolling12"),
    ("days", "lower", "mean", "value"),
]


def _csv(headers, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode()


def indicators_file():
    rows = []
    for n in range(INDICATORS):
        unit, polarity, aggregation, rated = KINDS[n % len(KINDS)]
        rows.append([f"K{n:04d}", f"Indicator {n} of the county", "Generated for the benchmark", unit, polarity, "monthly",
                     aggregation, rated, 1, f"Accountable {n % UNITS:02d}", f"Benchmark unit {n % UNITS:02d}",
                     f"Domain {n % 6}", ""])
    return _csv(["Code", "Name", "Definition", "Unit", "Polarity", "Frequency", "Aggregation", "Rated figure",
                 "Decimal places", "Accountable", "Org unit", "Domain", "Strategic link"], rows)


def targets_file():
    rows = []
    for n in range(INDICATORS):
        unit, polarity, aggregation, _ = KINDS[n % len(KINDS)]
        target, minimum = (30000, 27000) if aggregation == "sum" else (50, 45) if polarity == "higher" else (40, 45)
        rows += [[f"K{n:04d}", f"{year}/{(year + 1) % 100:02d}", target, minimum] for year in range(FIRST_YEAR, FIRST_YEAR + 10)]
    return _csv(["Code", "Year", "Target", "Minimum standard"], rows)


def readings():
    for n in range(INDICATORS):
        unit, polarity, aggregation, _ = KINDS[n % len(KINDS)]
        for m in range(MONTHS):
            year, month = divmod((FIRST_YEAR * 12 + 3) + m, 12)
            swing = (n * 7 + m * 13) % 11
            if aggregation == "ratio":
                yield [f"K{n:04d}", f"{year}-{month + 1:02d}", "", 40 + swing, 90, "Generated"]
            elif aggregation == "sum":
                yield [f"K{n:04d}", f"{year}-{month + 1:02d}", 2400 + swing * 10, "", "", "Generated"]
            else:
                yield [f"K{n:04d}", f"{year}-{month + 1:02d}", 40 + swing, "", "", "Generated"]


def run(print_line):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import override_settings

    from actionplans.models import Lead
    from core.models import OrganisationUnit, Profile
    from performance.models import Figure, Indicator, Reading
    from performance.spreadsheet import import_indicator_file

    directorate = OrganisationUnit.objects.create(name="County Adult Social Care", level=OrganisationUnit.DIRECTORATE)
    for n in range(UNITS):
        OrganisationUnit.objects.create(name=f"Benchmark unit {n:02d}", parent=directorate, level=OrganisationUnit.DIVISION)
    headers = ["Code", "Period", "Value", "Numerator", "Denominator", "Note"]
    all_readings = list(readings())
    files = [
        ("indicators", indicators_file()), ("targets", targets_file()),
        (f"first {FIRST_READINGS_FILE:,} readings", _csv(headers, all_readings[:FIRST_READINGS_FILE])),
        (f"other {len(all_readings) - FIRST_READINGS_FILE:,} readings", _csv(headers, all_readings[FIRST_READINGS_FILE:])),
    ]
    with override_settings(IMPORT_MAX_ROWS=len(all_readings), IMPORT_MAX_UNZIPPED_MB=1000, IMPORT_MAX_UPLOAD_MB=100):
        for label, data in files:
            started, cpu_started = time.perf_counter(), time.process_time()
            result = import_indicator_file(data, f"{label}.csv")
            print_line(f"import of {label}", f"{time.perf_counter() - started:8.1f} s ({len(result.outcomes):,} rows; "
                                             f"{time.process_time() - cpu_started:.1f} s CPU in this process)")
    print_line("data", f"{Indicator.objects.count():,} indicators, {Reading.objects.count():,} readings, "
                       f"{Figure.objects.count():,} stored figures")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    User = get_user_model()
    officer = User.objects.create_user("accountable00", password="indicator-benchmark-1")
    Profile.objects.create(user=officer, unit=OrganisationUnit.objects.get(name="Benchmark unit 00"), role=Profile.OFFICER)
    Lead.objects.filter(name="Accountable 00").update(user=officer)
    admin = User.objects.create_superuser("benchadmin", password="indicator-benchmark-1")
    unit = OrganisationUnit.objects.get(name="Benchmark unit 07")
    indicator = Indicator.objects.get(code="K0007")
    anonymous, as_officer, as_admin = (benchmark_scale.deployed_client() for _ in range(3))
    as_officer.force_login(officer)
    as_admin.force_login(admin)
    month = "2013-09"
    pages = [
        ("login page, anonymous (the floor)", anonymous, "/login/"),
        ("dashboard, first page unfiltered", as_admin, f"/performance/?period={month}"),
        (f"dashboard, one unit's {Indicator.objects.filter(unit_owner=unit).count()} indicators", as_admin,
         f"/performance/?period={month}&unit={unit.pk}"),
        ("dashboard, filtered to Red", as_admin, f"/performance/?period={month}&rag=red"),
        ("indicator page, 120 months", as_admin, f"/performance/indicators/{indicator.pk}/"),
        (f"data entry, {Indicator.objects.filter(accountable__user=officer).count()} indicators", as_officer,
         f"/performance/entry/?period={month}"),
    ]
    benchmark_scale.time_pages(pages)
