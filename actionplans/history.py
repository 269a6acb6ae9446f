"""The change history shown on an action page: the action, its milestones, progress,
recommendation, plan and leads. The display rules are `core.history`'s; this says
which histories make up the page, with a fixed number of queries, each compiled once."""

from django.db.models import Q
from django.utils.text import Truncator

from core.history import SKIPPED, Records, changes_of, labelled, m2m_history_model, named, newest_first

from .models import Action, Lead, Milestone, Plan, ProgressUpdate, Recommendation

ACTION_RECORDS = Records(Action, lambda pk: {"id": pk}, m2m="leads")
# Every lead the action has or ever had, deleted ones too: their own histories give their names.
LEAD_RECORDS = Records(
    Lead,
    lambda action_pk: Q(id__in=Action.leads.through.objects.filter(action_id=action_pk).values("lead_id"))
    | Q(id__in=m2m_history_model(Action, "leads").objects.filter(history__id=action_pk).values("lead_id")),
)
MILESTONE_RECORDS = Records(Milestone, lambda action_pk: {"action_id": action_pk})
PROGRESS_RECORDS = Records(ProgressUpdate, lambda action_pk: {"action_id": action_pk})
RECOMMENDATION_RECORDS = Records(Recommendation, lambda pk: {"id": pk})
PLAN_RECORDS = Records(Plan, lambda pk: {"id": pk})


def action_changes(action):
    """Every recorded change to the action and what surrounds it, newest first."""
    changes = []
    lead_records = LEAD_RECORDS.by_object(action.pk)
    lead_names = {pk: records[-1].values["name"] for pk, records in lead_records.items()}
    for records in ACTION_RECORDS.by_object(action.pk).values():
        leads = labelled(records, lambda pk: lead_names.get(pk, f"lead {pk}"))
        changes += changes_of(records, Action, f"Action {action.number}", m2m={"leads": leads})
    for records in MILESTONE_RECORDS.by_object(action.pk).values():
        activity = Truncator(records[-1].values["activity"]).words(8)  # whole words: never "Agree the proced"
        changes += changes_of(records, Milestone, f"Milestone “{activity}”", SKIPPED + ["start_date"])
    for records in PROGRESS_RECORDS.by_object(action.pk).values():
        changes += changes_of(records, ProgressUpdate, f"Progress update of {records[-1].values['date']:%-d %b %Y}")
    if action.recommendation_id:
        for records in RECOMMENDATION_RECORDS.by_object(action.recommendation_id).values():
            changes += changes_of(records, Recommendation, f"Recommendation {action.recommendation.number}")
    for records in PLAN_RECORDS.by_object(action.plan_id).values():
        changes += changes_of(records, Plan, "Plan")
    current_lead_ids = {lead.pk for lead in action.leads.all()}
    for pk in current_lead_ids & lead_records.keys():
        # Which login a lead has is account admin, not part of the action's story (and naming it cost a query).
        changes += changes_of(lead_records[pk], Lead, f"Lead {lead_names[pk]}", SKIPPED + ["user"])
    return newest_first(named(changes))
