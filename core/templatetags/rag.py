"""`{% rag_badge rating %}`: one RAG rating, colour, word and reason, the same everywhere (never colour
alone, WCAG 1.4.1). A tag rather than an include: a plan page shows hundreds of them."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def rag_badge(rating, short=False):
    """`short=True` keeps the reason for screen readers only."""
    if short:
        reason = format_html('<span class="govuk-visually-hidden">: {}</span>', rating.reason)
    else:
        reason = format_html('<span class="app-rag-reason">{}</span>', rating.reason)
    return format_html('<strong class="app-rag app-rag--{}">{}</strong>{}', rating.colour, rating.label, reason)
