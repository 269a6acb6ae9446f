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
