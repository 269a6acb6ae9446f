"""The quarterly report to the Cabinet Member (seed 004, agenda item 7) as Word and PDF, through the committee
documents' machinery (`core.documents`), from the one read model (`selectors.quarterly_report`): training, the
quarter's statistics with the referral-source and abuse-type tables and their charts, some recent outcomes, and
the timeliness measures with their RAG in words and its reason. The HTML page and file draw the same read model
(templates/safeguarding/includes/report_body.html).
"""

import re

from django.template.loader import render_to_string

from core import documents

FORMATS = ("html", "docx", "pdf")
TRAINING_HEADERS = ["Course", "Date", "Agency or sector", "Attended"]
SOURCE_HEADERS = ["Source", "Number of alerts"]
ABUSE_TYPE_HEADERS = ["Category of abuse", "Cases"]
OTHER_HEADERS = ["Category", "Number"]
ABUSE_TYPE_CAPTION = "Cases by category of abuse (a case with multiple abuse is counted under each)"


def document_title(report):
    return f"{report.title} – {report.council}"


def file_stem(report):
    team = re.sub(r"[^A-Za-z0-9]+", "-", report.team).strip("-").lower() or "team"
    return f"safeguarding-report-{team}-{report.quarter.label.replace('/', '-').replace(' ', '-').lower()}"


def _rows(breakdown):
    return [(line.name, line.count) for line in breakdown.lines]


def sources_title(report):
    return f"Referrals by source, {report.quarter.name}"


def abuse_types_title(report):
    return f"Cases by category of abuse, {report.quarter.name}"


# --- HTML and PDF -------------------------------------------------------------------------------------------


def render_html(report):
    """The report as a standalone HTML document in the committee documents' print style (what the PDF is made of)."""
    context = {
        "report": report, "standalone": True, "document_title": document_title(report),
        "sources_chart": documents.count_bar_chart_svg(sources_title(report), _rows(report.sources)),
        "abuse_types_chart": documents.count_bar_chart_svg(abuse_types_title(report), _rows(report.abuse_types)),
        "abuse_type_caption": ABUSE_TYPE_CAPTION,
    }
    return render_to_string("safeguarding/report_print.html", context)


def render_pdf(report):
    return documents.html_to_pdf(render_html(report))


# --- Word ---------------------------------------------------------------------------------------------------


def _training_course(line):
    return "\n".join(part for part in (line.course, line.level, line.note) if part)


def render_docx(report):
    word = documents.WordDocument(document_title(report), subject=f"{report.council}: report to the Cabinet Member",
                                  author=report.council)
    word.paragraph(f"{report.council}: report to the Cabinet Member")
    word.title("Safeguarding adults: quarterly update")
    word.paragraph(f"{report.period_words} ({report.quarter.name})", bold=True)
    word.paragraph(f"This report gives the activity of {report.team} in safeguarding adults from {report.period_words}.")
    if report.note:
        word.paragraph(f"Source of these figures: {report.note}")

    word.heading("1. Training", 1)
    if report.training:
        word.paragraph(report.training_sentence)
        word.table(TRAINING_HEADERS, [
            [_training_course(line), f"{line.date:%-d %B %Y}", line.agency, str(line.attendees)] for line in report.training
        ], widths_cm=[6, 3.5, 5, 2.5])
    else:
        word.paragraph("No training was recorded in the quarter.")

    word.heading(f"2. Statistics for the period {report.period_words}", 1)
    if not report.has_figures:
        word.paragraph(f"No figures have been entered for {report.quarter.name}.")
    else:
        word.paragraph(report.concerns_sentence)
        if report.gender_sentence:
            word.paragraph(report.gender_sentence)
        if report.sources.lines:
            word.heading("Referrals by source", 2)
            word.table(SOURCE_HEADERS, [[name, str(count)] for name, count in _rows(report.sources)]
                       + [["Total", str(report.sources.total)]], widths_cm=[9, 4])
            rows = _rows(report.sources)
            word.picture(documents.count_bar_chart_png(rows), documents.count_chart_alt(sources_title(report), rows),
                         width_cm=14)
        if report.abuse_types.lines:
            word.heading(ABUSE_TYPE_CAPTION, 2)
            word.paragraph(report.multiple_abuse_sentence)
            rows = _rows(report.abuse_types)
            word.table(ABUSE_TYPE_HEADERS, [[name, str(count)] for name, count in rows], widths_cm=[9, 4])
            word.picture(documents.count_bar_chart_png(rows), documents.count_chart_alt(abuse_types_title(report), rows),
                         width_cm=14)
        for breakdown in report.other_breakdowns:
            word.heading(breakdown.name, 2)
            word.table(OTHER_HEADERS, [[name, str(count)] for name, count in _rows(breakdown)], widths_cm=[9, 4])

    word.heading("3. Some recent outcomes", 1)
    if report.selected_outcomes:
        word.bullets(report.selected_outcomes)
    else:
        word.paragraph("No outcomes were entered for the quarter.")

    word.heading("4. Timeliness", 1)
    if report.timeliness:
        word.table(["Measure", report.quarter.name, "Target", "RAG"], [
            [row.name, row.value_text + (f"\n({row.counts_text})" if row.counts_text else ""), row.target_text, row.rag]
            for row in report.timeliness
        ], widths_cm=[7, 3, 2.5, 4.5])
    else:
        word.paragraph("No timeliness measures are kept for this team.")
    return word.to_bytes()


# --- Every format ------------------------------------------------------------------------------------------


def render(report, file_format):
    """(bytes, content type, file name) of the report in `file_format`: html is the file the command always wrote
    (its look written in), docx and pdf the committee documents."""
    stem = file_stem(report)
    if file_format == "html":
        html = render_to_string("safeguarding/report_document.html", {"report": report})
        return html.encode("utf-8"), documents.HTML_CONTENT_TYPE, f"{stem}.html"
    if file_format == "docx":
        return render_docx(report), documents.DOCX_CONTENT_TYPE, f"{stem}.docx"
    if file_format == "pdf":
        return render_pdf(report), documents.PDF_CONTENT_TYPE, f"{stem}.pdf"
    raise ValueError(f"Unknown format '{file_format}': use {', '.join(FORMATS)}")
