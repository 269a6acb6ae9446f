"""Tags for what every row of actions shows; tags rather than includes, as a plan page shows hundreds of rows."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def update_freshness(row):
    """DOMAIN.md "Update freshness": beside the RAG badge, never instead of it. `row` is a selectors.ActionRow."""
    if not row.update_overdue:
        return ""
    if row.latest_update_on:
        since = f"No update since {row.latest_update_on:%-d %b %Y}"
    else:
        since = f"No update since the plan began on {row.update_overdue_since:%-d %b %Y}"
    return format_html(
        '<strong class="govuk-tag govuk-tag--grey app-freshness govuk-!-margin-top-1">Update overdue</strong>'
        '<span class="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{}</span>',
        since,
    )
