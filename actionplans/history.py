"""The change history shown on an action page: the action, its milestones, progress,
recommendation, plan and leads. The display rules are `core.history`'s; this says
which histories make up the page, with a fixed number of queries."""

from django.utils.text import Truncator

from core.history import SKIPPED, changes_of, labelled, m2m_snapshots, named, newest_first, records_by_object

from .models import Action, Lead, Milestone, Plan, ProgressUpdate, Recommendation


def action_changes(action):
    """Every recorded change to the action and what surrounds it, newest first."""
    changes = []
    action_records = records_by_object(Action.history.model, id=action.pk)
    all_action_records = [record for records in action_records.values() for record in records]
    snapshots = m2m_snapshots(Action, "leads", all_action_records)
    current_lead_ids = {lead.pk for lead in action.leads.all()}
    # The leads' own histories give the names of every lead the action ever had, deleted ones too.
    lead_records = records_by_object(Lead.history.model, id__in=current_lead_ids.union(*snapshots.values()))
    lead_names = {pk: records[-1].name for pk, records in lead_records.items()}
    leads = labelled(snapshots, lambda pk: lead_names.get(pk, f"lead {pk}"))
    for records in action_records.values():
        changes += changes_of(records, Action, f"Action {action.number}", m2m={"leads": leads})
    for records in records_by_object(Milestone.history.model, action_id=action.pk).values():
        activity = Truncator(records[-1].activity).words(8)  # whole words: never "Agree the proced"
        changes += changes_of(records, Milestone, f"Milestone “{activity}”", SKIPPED + ["start_date"])
    for records in records_by_object(ProgressUpdate.history.model, action_id=action.pk).values():
        changes += changes_of(records, ProgressUpdate, f"Progress update of {records[-1].date:%-d %b %Y}")
    if action.recommendation_id:
        for records in records_by_object(Recommendation.history.model, id=action.recommendation_id).values():
            changes += changes_of(records, Recommendation, f"Recommendation {action.recommendation.number}")
    for records in records_by_object(Plan.history.model, id=action.plan_id).values():
        changes += changes_of(records, Plan, "Plan")
    for pk in current_lead_ids & lead_records.keys():
        # Which login a lead has is account admin, not part of the action's story (and naming it cost a query).
        changes += changes_of(lead_records[pk], Lead, f"Lead {lead_names[pk]}", SKIPPED + ["user"])
    return newest_first(named(changes))
