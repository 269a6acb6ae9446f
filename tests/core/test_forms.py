import pytest
from django import forms

from core.forms import ChoicePairs


def test_choice_pairs_are_taken_as_they_are_by_the_field_and_its_widget():
    pairs = ChoicePairs([("", "Any plan"), (3, "Kent plan"), (7, "Sefton plan")])
    field = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    field.choices = pairs

    assert field.choices is pairs and field.widget.choices is pairs
    assert list(field.widget.choices) == [("", "Any plan"), (3, "Kent plan"), (7, "Sefton plan")]
    assert len(pairs) == 3
    assert field.clean("7") == 7
    assert field.clean("") is None
    assert 'value="3">Kent plan</option>' in field.widget.render("plan", "3").replace(" selected", "")


def test_a_value_outside_the_pairs_is_refused():
    field = forms.ChoiceField()
    field.choices = ChoicePairs([("red", "Red")])
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("purple")
    assert refused.value.code == "invalid_choice"


@pytest.mark.django_db
def test_unit_choices_list_every_unit_by_name_after_the_empty_choice():
    from core.forms import unit_choices
    from core.models import OrganisationUnit

    safeguarding = OrganisationUnit.objects.create(name="Safeguarding")
    care = OrganisationUnit.objects.create(name="Adult Social Care")
    assert list(unit_choices("Any unit")) == [("", "Any unit"), (care.pk, "Adult Social Care"), (safeguarding.pk, "Safeguarding")]
