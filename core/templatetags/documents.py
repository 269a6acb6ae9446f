"""`{% document_styles standalone %}`: the report stylesheet of a committee document (core/documents.py), linked
on a page the site serves (its Content-Security-Policy forbids inline styles) or written into the file itself
for a document that must stand alone (a published HTML file, the HTML WeasyPrint turns into a PDF)."""

from functools import cache

from django import template
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.documents import REPORT_CSS

register = template.Library()


@cache
def _css():
    return REPORT_CSS.read_text(encoding="utf-8")


@register.simple_tag
def document_styles(standalone=False):
    if standalone:
        return mark_safe(f"<style>{_css()}</style>")
    return mark_safe(f'<link rel="stylesheet" href="{escape(static("report.css"))}">')
