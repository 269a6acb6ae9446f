"""seed_safeguarding (seed 004 exactly as printed, the rest marked demo data, safe to run again) and
safeguarding_report (the report as a file)."""

import io

import pytest
from django.core.management import CommandError, call_command

from performance.models import Reading, Target
from safeguarding.models import BreakdownCount, CaseFileAudit, QuarterlyReturn, TrainingSession
from safeguarding.management.commands.seed_safeguarding import DEMO_NOTE, SEED_NOTE


def test_the_seed_quarter_as_printed_and_the_others_marked_demo(seeded):
    notes = dict(QuarterlyReturn.objects.values_list("quarter_start", "note"))
    assert len(notes) == 8
    seed = QuarterlyReturn.objects.get(note=SEED_NOTE)
    assert str(seed.quarter) == "Q4 2009/10"
    assert set(notes.values()) == {SEED_NOTE, DEMO_NOTE}
    counts = {(c.breakdown, c.category.name if c.category else ""): c.count for c in seed.counts.select_related("category")}
    assert counts[("total", "")] == 192 and counts[("multiple_abuse", "")] == 56
    assert (counts[("gender", "Female")], counts[("gender", "Male")]) == (104, 88)
    assert sum(count for (breakdown, _), count in counts.items() if breakdown == "source") == 192
    assert len([key for key in counts if key[0] == "source"]) == 14
    assert sum(1 for key in counts if key[0] == "abuse_type") == 6
    # The timeliness readings are invented and say so; SG 03's 2010/11 target is the plan's 70%.
    assert set(Reading.objects.filter(indicator__code__startswith="SG ").values_list("note", flat=True)) == {"Demo data"}
    assert Target.objects.get(indicator__code="SG 03", financial_year=2010).target == 70
    assert all(audit.note == DEMO_NOTE for audit in CaseFileAudit.objects.all())
    assert sorted(TrainingSession.objects.filter(date__year=2010).values_list("attendees", flat=True)) == [6, 11, 12, 530]


def test_seeding_again_changes_nothing(seeded):
    before = (BreakdownCount.objects.count(), CaseFileAudit.objects.count(), TrainingSession.objects.count(),
              BreakdownCount.history.count())
    call_command("seed_safeguarding", stdout=io.StringIO())
    assert before == (BreakdownCount.objects.count(), CaseFileAudit.objects.count(), TrainingSession.objects.count(),
                      BreakdownCount.history.count())


def test_the_report_command_writes_the_html_report(seeded, tmp_path):
    output = tmp_path / "report.html"
    out = io.StringIO()
    call_command("safeguarding_report", "2009/10 Q4", "--format", "html", "--output", str(output), stdout=out)
    assert "Wrote the safeguarding report for Q4 2009/10" in out.getvalue()
    html = output.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert "numbered 192." in html and "Residential and Nursing Homes" in html and "530" in html
    assert "Prosecution of a care worker" in html


def test_the_report_command_into_a_missing_folder_is_a_clear_error(seeded, tmp_path):
    with pytest.raises(CommandError, match=r"^Cannot write .*report\.html: "):
        call_command("safeguarding_report", "2009/10 Q4", "--format", "html", "--output", str(tmp_path / "no" / "report.html"))


def test_the_report_command_writes_word_and_pdf(seeded, tmp_path):
    """The same report as a committee document: read back as Word and PDF readers would."""
    from docx import Document
    from pypdf import PdfReader

    from core.documents import pdf_unavailable

    call_command("safeguarding_report", "2009/10 Q4", "--format", "docx", "--output", str(tmp_path / "r.docx"),
                 stdout=io.StringIO())
    document = Document(str(tmp_path / "r.docx"))
    assert document.core_properties.language == "en-GB" and "quarterly update" in document.core_properties.title
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1. Training" and headings[-1] == "4. Timeliness"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "numbered 192." in text and "Prosecution of a care worker" in text
    sources = next(table for table in document.tables if table.rows[0].cells[0].text == "Source")
    assert sources.rows[-1].cells[1].text == "192"
    if pdf_unavailable():
        pytest.skip(pdf_unavailable())
    call_command("safeguarding_report", "2009/10 Q4", "--format", "pdf", "--output", str(tmp_path / "r.pdf"),
                 stdout=io.StringIO())
    reader = PdfReader(str(tmp_path / "r.pdf"))
    assert reader.metadata.title.startswith("Safeguarding adults: quarterly update")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "numbered 192." in text and "Residential and Nursing Homes" in text and "Prosecution of a care worker" in text


@pytest.mark.parametrize("arguments, message", [
    (["2010/11 Q1", "--output", "x.html"], "has not ended yet"),
    (["2009/10 Q4", "--format", "xlsx", "--output", "x.xlsx"], "is not a format of this report: use html, docx, pdf"),
    (["2009/10 Q4", "--team", "Nowhere", "--output", "x.html"], "No safeguarding team belongs to a unit named"),
])
def test_the_report_command_refuses_clearly(seeded, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("safeguarding_report", *arguments)


def test_the_report_command_with_no_team(db):
    with pytest.raises(CommandError, match="there is none set up"):
        call_command("safeguarding_report", "2009/10 Q4", "--output", "x.html")
