"""Plans "as at" a day: DOMAIN.md "As at a date", the plan's half.

"As at D" uses the dates of the business, not the dates rows were written:
progress updates dated after D are left out and the status is the one reported
on or before D (`Action.status_on`), RAG and "overdue" are computed on D
(`actionplans.state`), and wording edited after D is shown as it was on D (here,
from the change history, with the general machinery of `core.asat`).
"""

from core.asat import apply_wording
from core.periods import today

from .models import Action, Recommendation

# What an action or recommendation said on a day. The due date goes with the timescale:
# an old timescale rated against today's due date would give the wrong colour.
ACTION_FIELDS = ["text", "expected_evidence", "timescale", "due_date_set", "due_date", "timescale_kind"]
RECOMMENDATION_FIELDS = ["text", "page_reference", "measurable_indicator", "desired_outcome"]


def restore_wording(actions, recommendations, day):
    """Show `actions` and `recommendations` as they were worded on `day` (two queries; none for today)."""
    if day >= today():
        return
    apply_wording(actions, Action.history.model, day, ACTION_FIELDS)
    apply_wording(recommendations, Recommendation.history.model, day, RECOMMENDATION_FIELDS)
