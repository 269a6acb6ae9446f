"""`{% rag_badge rating %}`: one RAG rating, colour, word and reason, the same everywhere (never colour
alone, WCAG 1.4.1). A tag rather than an include: a plan page shows hundreds of them."""

from django import template
from django.utils.safestring import mark_safe

from core.html import escape

register = template.Library()


def badge_html(rating, short=False):
    """The badge's markup; `short=True` keeps the reason for screen readers only.

    Built with the standard library's escape (core.html's) rather than format_html: at several hundred
    badges a page, format_html's lazy-string machinery was a good part of the page's time.
    """
    reason_class = "govuk-visually-hidden" if short else "app-rag-reason"
    reason = f": {escape(rating.reason)}" if short else escape(rating.reason)
    return (
        f'<strong class="app-rag app-rag--{escape(rating.colour)}">{escape(rating.label)}</strong>'
        f'<span class="{reason_class}">{reason}</span>'
    )


@register.simple_tag
def rag_badge(rating, short=False):
    return mark_safe(badge_html(rating, short))
