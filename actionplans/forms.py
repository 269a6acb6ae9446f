from datetime import date

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError

from core.asat import EARLIEST
from core.periods import today
from core.rag import COLOUR_CHOICES

from . import rag
from .models import Lead, ProgressUpdate
from .selectors import PlanFilters

NARRATIVE_MAX = ProgressUpdate._meta.get_field("narrative").max_length


class ReportedDateField(DateInputField):
    """A GOV.UK date input with the Design System's wording for impossible dates."""

    def compress(self, data_list):
        day, month, year = (str(part or "").strip() for part in data_list)
        if not (day or month or year):
            if self.required:  # spaces get past the parent's check for a blank date
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if not (day and month and year):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            found = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError("Date must be a real date") from None
        if found < EARLIEST:
            raise ValidationError(f"Year must be {EARLIEST.year} or later")
        return found


class VersionedForm(forms.Form):
    """Carries what the person saw, so a save made after someone else's is caught."""

    auto_id_prefix = "id_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.auto_id_prefix)
        super().__init__(*args, **kwargs)

    version = forms.IntegerField(widget=forms.HiddenInput)
    seen_update_id = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ProgressUpdateForm(VersionedForm):
    date = ReportedDateField(
        label="Date of this update",
        help_text="The date the progress was reported, for example 27 3 2026",
    )
    narrative = forms.CharField(
        label="What progress has been made?",
        widget=forms.Textarea,
        max_length=NARRATIVE_MAX,
        error_messages={
            "required": "Enter what progress has been made",
            "max_length": f"What progress has been made must be {NARRATIVE_MAX:,} characters or fewer",
        },
    )
    status = forms.ChoiceField(
        label="Status",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status of the action"},
    )

    def __init__(self, *args, scheme, completed=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Completion is proposed separately and confirmed by a manager (DOMAIN.md "Actions"),
        # so a note added to a completed action must not quietly reopen it.
        if completed:
            del self.fields["status"]
        else:
            self.fields["status"].choices = [
                (status, rag.STATUS_LABELS[status]) for status in rag.SCHEME_STATUSES[scheme] if status != rag.COMPLETED
            ]
        self.fields["date"].error_messages.update(
            required="Enter the date of this update", incomplete="Enter the date of this update"
        )

    def clean_date(self):
        day = self.cleaned_data.get("date")
        if day and day > today():
            raise ValidationError("Date of this update must be today or in the past")
        return day


class ProposeCompletionForm(VersionedForm):
    # An action page can show three forms at once: each gets its own ids.
    auto_id_prefix = "id_propose-%s"
    finished_on = ReportedDateField(
        label="When was the work finished?",
        help_text="Once a manager confirms it, the action counts as completed from this day. For example 27 3 2026",
    )
    narrative = forms.CharField(
        label="Evidence that the action is complete (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=NARRATIVE_MAX,
        error_messages={"max_length": f"Evidence must be {NARRATIVE_MAX:,} characters or fewer"},
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["finished_on"].error_messages.update(
            required="Enter the date the work was finished", incomplete="Enter the date the work was finished"
        )

    def clean_finished_on(self):
        day = self.cleaned_data.get("finished_on")
        if day and day > today():
            raise ValidationError("The date the work was finished must be today or in the past")
        latest = self.action.latest_status_reported_on()
        if day and latest and day < latest:
            raise ValidationError(
                f"The date the work was finished must be on or after the latest status reported, {latest:%-d %B %Y}"
            )
        return day


class MilestoneDoneForm(forms.Form):
    """An officer marks one milestone of their action done, with the day it was done."""

    completed_on = ReportedDateField(label="Date done", help_text="For example 27 3 2026")

    def __init__(self, *args, milestone, **kwargs):
        kwargs.setdefault("auto_id", f"id_milestone-{milestone.pk}-%s")
        super().__init__(*args, **kwargs)
        self.milestone = milestone
        self.fields["completed_on"].error_messages.update(
            required="Enter the date the milestone was done", incomplete="Enter the date the milestone was done"
        )

    def clean_completed_on(self):
        day = self.cleaned_data.get("completed_on")
        if day and day > today():
            raise ValidationError("The date the milestone was done must be today or in the past")
        return day


class SignOffForm(VersionedForm):
    CONFIRM, RETURN = "confirm", "return"
    auto_id_prefix = "id_sign-off-%s"

    decision = forms.ChoiceField(
        label="Is the action complete?",
        choices=[(CONFIRM, "Yes, confirm completion"), (RETURN, "No, return it to the lead")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the action is complete"},
    )
    comment = forms.CharField(
        label="Comment",
        help_text="Required when you return it: say what is still needed",
        required=False,
        widget=forms.Textarea,
        max_length=NARRATIVE_MAX,
        error_messages={"max_length": f"Comment must be {NARRATIVE_MAX:,} characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Enter a comment saying why the completion is returned")
        return cleaned



class PlanReportFilterForm(forms.Form):
    """Which actions of a plan to show or download: `selectors.PlanFilters` from the query string."""

    area = forms.TypedChoiceField(label="Area", required=False, coerce=int, empty_value=None)
    lead = forms.TypedChoiceField(label="Lead", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Status", required=False)
    rag = forms.ChoiceField(label="RAG", required=False, choices=[("", "Any colour"), *COLOUR_CHOICES])
    overdue = forms.BooleanField(label="Only overdue actions", required=False)
    update_overdue = forms.BooleanField(label="Only actions with an update overdue", required=False)
    needs_due_date = forms.BooleanField(label="Only actions needing a due date", required=False)

    def __init__(self, *args, plan, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Any area"), *plan.areas.order_by("order", "id").values_list("pk", "title")]
        leads = Lead.objects.filter(actions__plan=plan).distinct().order_by("name").values_list("pk", "name")
        self.fields["lead"].choices = [("", "Any lead"), *leads]
        statuses = [(status, rag.STATUS_LABELS[status]) for status in rag.SCHEME_STATUSES[plan.rag_scheme]]
        self.fields["status"].choices = [("", "Any status"), *statuses]

    def filters(self):
        """The filters asked for; a value that is not one of the plan's is left out (the page says so)."""
        self.is_valid()
        return PlanFilters(**{name: value for name, value in self.cleaned_data.items() if value})


class PublishForm(forms.Form):
    """Publishing a report for a meeting (plan or performance): the meeting it goes to, in the council's words."""

    meeting = forms.CharField(
        label="Meeting", max_length=200,
        help_text="The meeting this report is published for, for example “DMT, 5 December 2013”",
        error_messages={"required": "Enter the meeting this report is published for"},
    )
