"""Template helpers: Django form fields with the NL Design System (Utrecht) classes, and labels
for access-log rows (roles: `organisations.templatetags.roles`)."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField

from meldwijzer.audit.models import Subject

register = template.Library()

_WIDGET_CLASSES = {
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
}


@register.inclusion_tag("includes/form_field.html")
def form_field(field: BoundField) -> dict[str, object]:
    widget = field.field.widget
    choice_list = isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect)
    if not choice_list:
        css = next(
            (css for kind, css in _WIDGET_CLASSES.items() if isinstance(widget, kind)),
            "utrecht-textbox utrecht-textbox--html-input",
        )
        if field.errors:
            css += " utrecht-textbox--invalid"
        attrs: dict[str, str | bool] = {"class": css}
        if field.help_text:
            attrs["aria-describedby"] = f"{field.auto_id}_help"
        if field.errors:
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = (
                f"{attrs.get('aria-describedby', '')} {field.auto_id}_error".strip()
            )
        rendered = field.as_widget(attrs=attrs)
    else:
        rendered = None
    return {
        "field": field,
        "rendered": rendered,
        "choice_list": choice_list,
        "radio": isinstance(widget, forms.RadioSelect),
        "checkbox": isinstance(widget, forms.CheckboxInput),
    }


# Worked out once: a table of access-log rows asks for a label per row.
_SUBJECT_LABELS = {str(subject.value): str(subject.label) for subject in Subject}


@register.filter
def subject_label(value: str) -> str:
    """The Dutch name of what an access-log row is about (`audit.models.Subject`)."""
    return _SUBJECT_LABELS.get(value, value)
