"""`gds_fields` and `error_summary` (core/templatetags/forms.py): the GOV.UK markup of the action page's forms."""

from datetime import date
from html.parser import HTMLParser

import pytest
from django import forms
from django.template import engines

from actionplans import rag
from actionplans.forms import ProgressUpdateForm, SignOffForm


def render(source, form):
    return engines["django"].from_string("{% load forms %}" + source).render({"form": form})


class Elements(HTMLParser):
    """Every start tag as (tag, attributes), in order."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def by_id(self, element_id):
        return next(attrs for _, attrs in self.found if attrs.get("id") == element_id)


def progress_form(data=None, **initial):
    return ProgressUpdateForm(data, scheme=rag.BUSINESS, initial=initial) if data is None else ProgressUpdateForm(data, scheme=rag.BUSINESS)


def test_a_fresh_form_shows_its_initial_values_and_hidden_fields_last():
    html = render("{% gds_fields form %}", progress_form(version=4, seen_update_id=9, date=date(2026, 3, 27), status="delayed"))
    elements = Elements(html)
    assert [elements.by_id(f"id_date_{n}")["value"] for n in range(3)] == ["27", "3", "2026"]
    assert elements.by_id("id_date")["class"] == "govuk-date-input"
    assert "checked" in elements.by_id("id_status_2") and "checked" not in elements.by_id("id_status_1")
    inputs = [attrs for tag, attrs in elements.found if tag in ("input", "textarea")]
    assert [attrs["name"] for attrs in inputs][-2:] == ["version", "seen_update_id"]
    assert elements.by_id("id_version")["value"] == "4"
    assert 'aria-invalid' not in html and "govuk-form-group--error" not in html
    assert "The date the progress was reported" in html and elements.by_id("id_date_hint")["class"] == "govuk-hint"


def test_errors_are_announced_next_to_their_fields():
    form = progress_form({"version": "1", "date_0": "31", "date_1": "2", "date_2": "2026", "narrative": "", "status": "x"})
    assert not form.is_valid()
    elements = Elements(render("{% gds_fields form %}", form))
    date_group = elements.by_id("div_id_date")
    assert date_group["class"] == "govuk-form-group govuk-form-group--error"
    fieldset = next(attrs for tag, attrs in elements.found if tag == "fieldset")
    assert fieldset["aria-describedby"] == "id_date_hint id_date_1_error"
    assert elements.by_id("id_date_1_error")["class"] == "govuk-error-message"
    assert all(elements.by_id(f"id_date_{n}")["aria-invalid"] == "true" for n in range(3))
    narrative = elements.by_id("id_narrative")
    assert narrative["aria-describedby"] == "id_narrative_1_error"
    assert narrative["class"] == "govuk-textarea govuk-input--error"
    assert elements.by_id("id_status_1_error")


def test_what_was_typed_is_kept_and_escaped():
    form = progress_form({"version": "1", "date_0": "1", "date_1": "x", "date_2": "", "narrative": '<b>"A&E"</b>'})
    form.is_valid()
    html = render("{% gds_fields form %}", form)
    assert "&lt;b&gt;&quot;A&amp;E&quot;&lt;/b&gt;</textarea>" in html
    assert Elements(html).by_id("id_date_1")["value"] == "x"
    assert 'name="date_2" class' in html  # an empty box has no value attribute


def test_the_error_summary_links_to_what_takes_focus():
    form = progress_form({"version": "1", "date_0": "", "date_1": "", "date_2": "", "narrative": "", "status": ""})
    form.is_valid()
    html = render("{% error_summary form %}", form)
    links = [attrs["href"] for tag, attrs in Elements(html).found if tag == "a"]
    assert links == ["#id_date_0", "#id_narrative", "#id_status_1"]
    assert "There is a problem" in html and "Enter the date of this update" in html
    sign_off = SignOffForm({"version": "1", "decision": "return", "comment": ""})
    sign_off.is_valid()
    links = [attrs["href"] for tag, attrs in Elements(render("{% error_summary form %}", sign_off)).found if tag == "a"]
    assert links == ["#id_sign-off-comment"]


def test_no_summary_without_errors():
    assert render("{% error_summary form %}", progress_form(version=1)) == ""


def test_a_widget_it_does_not_draw_is_refused():
    class Other(forms.Form):
        name = forms.CharField()

    with pytest.raises(TypeError, match="TextInput"):
        render("{% gds_fields form %}", Other())
