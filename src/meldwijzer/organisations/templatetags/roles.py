"""Template helpers for roles: a role's Dutch name (`organisations.roles.Role`)."""

from __future__ import annotations

from django import template

from meldwijzer.organisations.roles import Role

register = template.Library()

# Worked out once: a table of access-log rows asks for a label per row.
_ROLE_LABELS = {str(role.value): str(role.label) for role in Role}


@register.filter
def role_label(value: str) -> str:
    """The Dutch name of a role; an unknown value as it is."""
    return _ROLE_LABELS.get(value, value)
