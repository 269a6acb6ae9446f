"""The change history shown on an action page: the action, its milestones, progress,
recommendation, plan and leads. The display rules are `core.history`'s; this says
which histories make up the page, with a fixed number of queries."""

from core.history import SKIPPED, changes_of, m2m_history_model, m2m_snapshots, newest_first, records_by_object

from .models import Action, Lead, Milestone, Plan, ProgressUpdate, Recommendation


def action_changes(action):
    """Every recorded change to the action and what surrounds it, newest first."""
    changes = []
    action_records = records_by_object(Action.history.model, id=action.pk)
    all_action_records = [record for records in action_records.values() for record in records]
    current_lead_ids = set(Action.leads.through.objects.filter(action=action).values_list("lead_id", flat=True))
    lead_ids = current_lead_ids | set(
        m2m_history_model(Action, "leads").objects.filter(
            history__in=[record.history_id for record in all_action_records]
        ).values_list("lead_id", flat=True)
    )
    lead_names = dict(Lead.objects.filter(pk__in=lead_ids).values_list("pk", "name"))
    leads = m2m_snapshots(Action, "leads", all_action_records, lambda pk: lead_names.get(pk, f"lead {pk}"))
    for records in action_records.values():
        changes += changes_of(records, Action, f"Action {action.number}", m2m={"leads": leads})
    for records in records_by_object(Milestone.history.model, action_id=action.pk).values():
        changes += changes_of(records, Milestone, f"Milestone “{records[-1].activity[:50]}”", SKIPPED + ["start_date"])
    for records in records_by_object(ProgressUpdate.history.model, action_id=action.pk).values():
        changes += changes_of(records, ProgressUpdate, f"Progress update of {records[-1].date:%-d %b %Y}")
    if action.recommendation_id:
        for records in records_by_object(Recommendation.history.model, id=action.recommendation_id).values():
            changes += changes_of(records, Recommendation, f"Recommendation {action.recommendation.number}")
    for records in records_by_object(Plan.history.model, id=action.plan_id).values():
        changes += changes_of(records, Plan, "Plan")
    for records in records_by_object(Lead.history.model, id__in=current_lead_ids).values():
        changes += changes_of(records, Lead, f"Lead {records[-1].name}")
    return newest_first(changes)
