"""`{% select_options field %}`: the <option>s of a choice field, the chosen one selected.

A tag rather than a template loop: a county's filter forms list hundreds of plans and
leads, and the loop (a lookup and a filter per option) was a third of the actions list's time.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def select_options(field):
    current = field.value()
    current = "" if current is None else str(current)
    options = []
    for value, label in field.field.widget.choices:
        value = "" if value is None else str(value)
        selected = " selected" if value == current else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(options))


@register.simple_tag
def filter_fields(form, kind="all"):
    """The fields of a GET filter form, GOV.UK style: a yes/no field as a small checkbox, a date as a date box,
    a search field as a search box, a choice as a select. `kind` "checkboxes" or "others" takes only those
    (the actions list sets its checkboxes apart), each of the others in a <div> of its own.

    A tag rather than an include per field, for the reason `select_options` gives: a list page's ten filter
    fields, rendered through the template language, cost as much as its rows."""
    parts = []
    for field in form:
        checkbox = field.field.widget.input_type == "checkbox"
        if kind == "checkboxes" and not checkbox or kind == "others" and checkbox:
            continue
        html = _filter_field(field)
        parts.append(f"<div>{html}</div>" if kind == "others" else html)
    return mark_safe("\n".join(parts))


def _filter_field(field):
    input_type = field.field.widget.input_type
    field_id, name, label = escape(field.id_for_label), escape(field.html_name), escape(str(field.label))
    value = field.value()
    if input_type == "checkbox":
        checked = " checked" if value else ""
        return (
            '<div class="govuk-form-group govuk-!-margin-bottom-3"><div class="govuk-checkboxes govuk-checkboxes--small" '
            'data-module="govuk-checkboxes"><div class="govuk-checkboxes__item">'
            f'<input class="govuk-checkboxes__input" id="{field_id}" name="{name}" type="checkbox" value="true"{checked}>'
            f'<label class="govuk-label govuk-checkboxes__label" for="{field_id}">{label}</label></div></div></div>'
        )
    errors = field.errors
    group = "govuk-form-group govuk-form-group--error" if errors else "govuk-form-group"
    label_html = f'<label class="govuk-label govuk-label--s" for="{field_id}">{label}</label>'
    described = f' aria-describedby="{field_id}-error"' if errors else ""
    if input_type == "date":
        error = _error_message(field_id, escape(str(errors[0]))) if errors else ""
        error_class = " govuk-input--error" if errors else ""
        return (
            f'<div class="{group}">{label_html}{error}<input class="govuk-input govuk-input--width-10{error_class}" '
            f'id="{field_id}" name="{name}" type="date" value="{escape(str(value or ""))}"{described}></div>'
        )
    if input_type != "select":
        hint = ""
        if field.help_text:
            hint = f'<div class="govuk-hint" id="{field_id}-hint">{escape(str(field.help_text))}</div>'
            described = f' aria-describedby="{field_id}-hint"'
        return (
            f'<div class="govuk-form-group">{label_html}{hint}<input class="govuk-input" id="{field_id}" name="{name}" '
            f'type="search" value="{escape(str(value or ""))}"{described}></div>'
        )
    lower = label.lower()
    error = _error_message(field_id, f"That {lower} is not one of the choices: showing every {lower}") if errors else ""
    error_class = " govuk-select--error" if errors else ""
    return (
        f'<div class="{group}">{label_html}{error}<select class="govuk-select{error_class}" id="{field_id}" '
        f'name="{name}"{described}>{select_options(field)}</select></div>'
    )


def _error_message(field_id, text):
    return f'<p class="govuk-error-message" id="{field_id}-error"><span class="govuk-visually-hidden">Error:</span> {text}</p>'
