"""Form markup drawn by tags: the GOV.UK filter forms of list pages (`filter_fields`, `select_options`)
and the fields and error summary of the action page's forms (`gds_fields`, `error_summary`).

Tags rather than template loops and includes: a county's filter forms list hundreds of plans and
leads, and the loop (a lookup and a filter per option) was a third of the actions list's time.
"""

from django import forms, template
from django.utils.safestring import mark_safe

from core.html import escape

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


# The GOV.UK form fields of a page's forms (the action page shows up to four at once, a form per
# open milestone among them). Drawn here rather than by crispy-forms, whose template per field,
# label, hint and error cost the action page a third of its time; the markup is crispy-forms-gds's
# (its date input widget and error wording stay), so pages look and read as before.


@register.simple_tag
def gds_fields(form):
    """Each visible field of `form` as a GOV.UK form group, chosen by its widget (date input, radios
    or textarea), then its hidden fields."""
    visible, hidden = [], []
    for field in form:
        widget = field.field.widget
        if widget.is_hidden:
            hidden.append(_hidden(field))
        elif isinstance(widget, forms.MultiWidget):
            visible.append(_date_input(field))
        elif isinstance(widget, forms.RadioSelect):
            visible.append(_radios(field))
        elif isinstance(widget, forms.Textarea):
            visible.append(_textarea(field))
        else:
            raise TypeError(f"gds_fields draws date inputs, radios and text areas, not {type(widget).__name__}")
    return mark_safe("\n".join(visible + hidden))


@register.simple_tag
def error_summary(form):
    """The GOV.UK error summary of a form whose fields `gds_fields` draws. Every link points at something that
    takes focus, as the Design System asks: the first box of a date input (id_date_0), the first radio of a group
    (id_status_1)."""
    if not form.errors:
        return ""
    items = []
    visible = form.visible_fields()
    if visible:
        items += [(_focus_target(visible[0]), error) for error in form.non_field_errors()]
    for field in visible:
        items += [(_focus_target(field), error) for error in field.errors]
    links = "".join(f'<li><a href="#{escape(target)}">{escape(str(error))}</a></li>' for target, error in items)
    return mark_safe(
        '<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">'
        '<h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body">'
        f'<ul class="govuk-list govuk-error-summary__list">{links}</ul></div></div></div>'
    )


def _focus_target(field):
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect):
        return f"{field.auto_id}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"{field.auto_id}_0"
    return field.auto_id


def _attr(name, value):
    return "" if value is None or value == "" else f' {name}="{escape(str(value))}"'


def _hidden(field):
    value = field.value()
    return f'<input type="hidden" name="{escape(field.html_name)}"{_attr("value", value)} id="{escape(field.auto_id)}">'


def _hint_and_errors(field, field_id):
    """The hint and error messages under a label or legend, and the ids that describe the input."""
    parts, described = [], []
    if field.help_text:
        parts.append(f'<div id="{field_id}_hint" class="govuk-hint">{escape(str(field.help_text))}</div>')
        described.append(f"{field_id}_hint")
    for number, error in enumerate(field.errors, start=1):
        parts.append(
            f'<span id="{field_id}_{number}_error" class="govuk-error-message">'
            f'<span class="govuk-visually-hidden">Error:</span> {escape(str(error))}</span>'
        )
        described.append(f"{field_id}_{number}_error")
    return "".join(parts), " ".join(described)


def _group(field, field_id, inner):
    error = " govuk-form-group--error" if field.errors else ""
    return f'<div id="div_{field_id}" class="govuk-form-group{error}">{inner}</div>'


def _fieldset(field, field_id, legend_class, inner):
    hint_and_errors, described = _hint_and_errors(field, field_id)
    described = f' aria-describedby="{described}"' if described else ""
    return _group(field, field_id, (
        f'<fieldset class="govuk-fieldset"{described}><legend class="govuk-fieldset__legend{legend_class}">'
        f"{escape(str(field.label))}</legend>{hint_and_errors}{inner}</fieldset>"
    ))


def _date_input(field):
    field_id = escape(field.auto_id)
    value = field.value()
    parts = value if isinstance(value, (list, tuple)) else field.field.widget.decompress(value)
    error = " govuk-input--error" if field.errors else ""
    invalid = ' aria-invalid="true"' if field.errors else ""
    boxes = []
    for number, (subwidget, part) in enumerate(zip(field.field.widget.widgets, parts)):
        name = escape(f"{field.html_name}_{number}")
        box_id = f"{field_id}_{number}"
        boxes.append(
            f'<div class="govuk-date-input__item"><div class="govuk-form-group">'
            f'<label class="govuk-label govuk-date-input__label" for="{box_id}">{escape(str(subwidget.attrs["label"]))}</label>'
            f'<input type="text" name="{name}"{_attr("value", part)} class="{subwidget.attrs["class"]}{error}"{invalid} '
            f'id="{box_id}"></div></div>'
        )
    return _fieldset(field, field_id, "", f'<div class="govuk-date-input" id="{field_id}">{"".join(boxes)}</div>')


def _radios(field):
    field_id = escape(field.auto_id)
    current = field.value()
    current = "" if current is None else str(current)
    items = []
    for number, (value, label) in enumerate(field.field.choices, start=1):
        checked = ' checked="checked"' if str(value) == current else ""
        items.append(
            f'<div class="govuk-radios__item"><input type="radio" name="{escape(field.html_name)}" class="govuk-radios__input" '
            f'id="{field_id}_{number}" value="{escape(str(value))}"{checked}>'
            f'<label class="govuk-label govuk-radios__label" for="{field_id}_{number}">{escape(str(label))}</label></div>'
        )
    return _fieldset(
        field, field_id, " govuk-fieldset__legend--s", f'<div class="govuk-radios govuk-radios--small">{"".join(items)}</div>'
    )


def _textarea(field):
    field_id = escape(field.auto_id)
    hint_and_errors, described = _hint_and_errors(field, field_id)
    attrs = field.field.widget.attrs
    value = field.value()
    error = " govuk-input--error" if field.errors else ""
    invalid = ' aria-invalid="true"' if field.errors else ""
    return _group(field, field_id, (
        f'<label for="{field_id}" class="govuk-label govuk-label--s">{escape(str(field.label))}</label>{hint_and_errors}'
        f'<textarea name="{escape(field.html_name)}" cols="{attrs.get("cols", 40)}" rows="{attrs.get("rows", 10)}"'
        f'{_attr("maxlength", attrs.get("maxlength"))}{_attr("aria-describedby", described)} class="govuk-textarea{error}"'
        f'{invalid} id="{field_id}">\n{escape("" if value is None else str(value))}</textarea>'
    ))
