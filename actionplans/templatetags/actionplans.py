"""Tags for what every row of actions shows; tags rather than includes, as a plan page shows hundreds of rows."""

from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.html import escape  # not Django's, which adds a lazy-string wrapper per call
from core.templatetags.rag import badge_html

register = template.Library()


def freshness_html(row):
    """DOMAIN.md "Update freshness": beside the RAG badge, never instead of it. `row` is a selectors.ActionRow."""
    if not row.update_overdue:
        return ""
    if row.latest_update_on:
        since = f"No update since {row.latest_update_on:%-d %b %Y}"
    else:
        since = f"No update since the plan began on {row.update_overdue_since:%-d %b %Y}"
    return (
        '<strong class="govuk-tag govuk-tag--grey app-freshness govuk-!-margin-top-1">Update overdue</strong>'
        f'<span class="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{escape(since)}</span>'
    )


@register.simple_tag
def update_freshness(row):
    return mark_safe(freshness_html(row))


def _url(context, name, pk):
    """reverse() once per page and name, then the id put in: a plan page reverses hundreds of links."""
    made = context.render_context.setdefault("actionplans_urls", {})
    if name not in made:
        made[name] = reverse(name, args=[_PLACEHOLDER])
    return made[name].replace(str(_PLACEHOLDER), str(pk))


_PLACEHOLDER = 987654321


def _first_words(text, count):
    """Django's `Truncator(text).words(count)`, as a plan page's hundreds of rows need it: that one looks up
    its translated ellipsis for every call, which cost more than the rest of a row."""
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def _lines(text):
    """`linebreaksbr` for plain text (escaped, each line ending a <br>), without the filter's lazy wrappers."""
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


@register.simple_tag(takes_context=True)
def action_row(context, row, show_plan=False, update_links=False):
    """One `<tr>` of `action_table` for a selectors.ActionRow.

    Python rather than template markup on purpose: a plan page shows up to several hundred
    rows, and the template language's lookups (about twenty a row) took most of its time.
    Every value is escaped with `escape` as it goes in; the markup is the GOV.UK table's.
    """
    action_url = _url(context, "action_detail", row.pk)
    first = (
        f'<a class="govuk-link" href="{action_url}"><span class="govuk-visually-hidden">Action </span>{escape(row.number)}</a>'
        f'<p class="govuk-body-s govuk-!-margin-bottom-0">{escape(_first_words(row.text, 30))}</p>'
    )
    if row.cross_reference:
        number, pk = row.cross_reference
        first += (
            f'<p class="govuk-body-s">See <a class="govuk-link" href="{_url(context, "action_detail", pk)}">'
            f"action {escape(number)}</a></p>"
        )
    if update_links:
        back = escape("next=" + quote(context["request"].get_full_path(), safe="/"))
        first += (
            '<p class="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">'
            f'<a class="govuk-link" href="{_url(context, "action_progress", row.pk)}?{back}">Add a progress update'
            f'<span class="govuk-visually-hidden"> to action {escape(row.number)} of {escape(row.plan_title)}</span></a></p>'
        )
    cells = f'<td class="govuk-table__cell" data-label="Action">{first}</td>'
    if show_plan:
        cells += (
            f'<td class="govuk-table__cell govuk-body-s" data-label="Plan"><a class="govuk-link" href="{_url(context, "plan_detail", row.plan_pk)}">'
            f"{escape(row.plan_title)}</a></td>"
        )
    leads = "; ".join(escape(lead.display) for lead in row.leads) or '<span class="govuk-hint">No lead named</span>'
    cells += f'<td class="govuk-table__cell govuk-body-s" data-label="Leads">{leads}</td>'
    timescale = _lines(row.timescale) if row.timescale else "—"
    if row.due_date:
        timescale += f'<br><span class="govuk-hint">Due {row.due_date:%-d %b %Y}</span>'
    if row.timescale_needs_review:
        timescale += '<br><strong class="govuk-tag govuk-tag--yellow">Timescale needs review</strong>'
    if row.needs_due_date:
        timescale += '<br><strong class="govuk-tag govuk-tag--orange">Needs a due date</strong>'
    if row.overdue:
        timescale += '<br><strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    cells += f'<td class="govuk-table__cell govuk-body-s" data-label="Timescale">{timescale}</td>'
    proposed = " · Completion proposed" if row.completion_proposed else ""
    cells += (
        f'<td class="govuk-table__cell govuk-body-s" data-label="RAG">{badge_html(row.rag)}'
        f'<span class="govuk-hint govuk-!-display-block">{escape(row.status_label)}{proposed}</span>{freshness_html(row)}</td>'
    )
    if row.latest_progress:
        progress = (
            f'<span class="govuk-!-font-weight-bold">{row.latest_progress.date:%-d %b %Y}</span><br>'
            f"{escape(_first_words(row.latest_progress.narrative, 25))}"
        )
    else:
        progress = '<span class="govuk-hint">No progress reported</span>'
    cells += f'<td class="govuk-table__cell govuk-body-s" data-label="Latest progress">{progress}</td>'
    return mark_safe(
        f'<tr class="govuk-table__row app-action-row" data-action="{escape(row.number)}" '
        f'data-colour="{escape(row.rag.colour)}">{cells}</tr>'
    )


_HEAD = (
    '<thead class="govuk-table__head"><tr class="govuk-table__row">'
    '<th scope="col" class="govuk-table__header">Action</th>{plan}'
    '<th scope="col" class="govuk-table__header">Leads</th>'
    '<th scope="col" class="govuk-table__header">Timescale</th>'
    '<th scope="col" class="govuk-table__header">RAG</th>'
    '<th scope="col" class="govuk-table__header">Latest progress</th></tr></thead>'
)


@register.simple_tag(takes_context=True)
def action_table(context, rows, caption, show_plan=False, update_links=False):
    """A GOV.UK table of action rows (selectors.ActionRow): `show_plan` adds the plan column,
    `update_links` a link under each action to its short update page (for the user's own actions).
    A tag, like `action_row`: a plan page has a table for each of its recommendations."""
    plan = '<th scope="col" class="govuk-table__header">Plan</th>' if show_plan else ""
    body = "".join(action_row(context, row, show_plan, update_links) for row in rows)
    return mark_safe(
        '<div class="app-table-wrap"><table class="govuk-table app-action-table">'
        f'<caption class="govuk-table__caption govuk-table__caption--s">{escape(caption)}</caption>'
        f'{_HEAD.format(plan=plan)}<tbody class="govuk-table__body">{body}</tbody></table></div>'
    )


@register.simple_tag(takes_context=True)
def plan_cards(context, rows):
    """The plans list's summary cards, one a plan, for [(plan, rag.Summary)]: Python rather than template
    markup for the reason `action_row` gives (the cards' lookups were half the list's time)."""
    staff = context["user"].is_staff
    cards = []
    for plan, summary in rows:
        source = escape(plan.get_source_display()) + (f", {plan.source_date:%-d %b %Y}" if plan.source_date else "")
        if plan.unit_id:
            unit = escape(str(plan.unit))
        else:
            unit = '<strong class="govuk-tag govuk-tag--red app-no-unit">Not set</strong>'
            if staff:
                unit += (
                    ' <span class="govuk-hint govuk-!-display-inline">no manager can act on it: <a class="govuk-link" '
                    f'href="{_url(context, "admin:actionplans_plan_change", plan.pk)}">set its owning unit'
                    f'<span class="govuk-visually-hidden"> of {escape(plan.title)}</span></a></span>'
                )
        colours = "".join(
            f'<span class="app-rag app-rag--{colour}">{count} {escape(label)}</span> '
            for colour, label, count in summary.rows if count
        )
        cards.append(
            f'<div class="govuk-summary-card" data-plan="{plan.pk}"><div class="govuk-summary-card__title-wrapper">'
            f'<h2 class="govuk-summary-card__title"><a class="govuk-link" href="{_url(context, "plan_detail", plan.pk)}">'
            f'{escape(plan.title)}</a></h2></div><div class="govuk-summary-card__content"><dl class="govuk-summary-list">'
            f'{_summary_row("Source", source)}{_summary_row("Owning unit", unit)}'
            f'{_summary_row("Status", escape(plan.get_status_display()))}'
            + _summary_row(
                "Actions",
                f'{colours}<span class="govuk-!-display-block govuk-!-margin-top-1">{summary.total} in all; '
                f"{summary.overdue} overdue; {summary.update_overdue} with an update overdue; "
                f"{summary.needs_due_date} needing a due date</span>",
            )
            + "</dl></div></div>"
        )
    return mark_safe("\n".join(cards))


def _summary_row(key, value_html):
    return (
        f'<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{key}</dt>'
        f'<dd class="govuk-summary-list__value">{value_html}</dd></div>'
    )
