"""Roles and what they may do, as a table.

A professional holds one or more roles in each organisation they work for. Everything a view or
API endpoint may show or change is decided by the permissions below, checked in the selectors —
never by looking at a role name elsewhere.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    PROFESSIONAL = "professional", "Professional"
    MELDCODE_OFFICER = "meldcode_officer", "Aandachtsfunctionaris"
    CASE_COORDINATOR = "case_coordinator", "Casusregisseur"
    POLICY_ADVISER = "policy_adviser", "Beleidsadviseur"
    FUNCTIONAL_ADMIN = "functional_admin", "Functioneel beheerder"
    PLATFORM_ADMIN = "platform_admin", "Platformbeheerder"
    CONTENT_EDITOR = "content_editor", "Redacteur kennisbank"


class Permission(StrEnum):
    CASE_WORK = "case.work"
    """Open cases and work on the cases one is responsible for or a member of."""
    CASE_OVERSEE = "case.oversee"
    """See the open cases of the whole organisation and give consultation (aandachtsfunctionaris)."""
    CASE_COORDINATE = "case.coordinate"
    """Coordinate a case team after a report (casusregisseur)."""
    AGGREGATES_VIEW = "aggregates.view"
    """See aggregated figures only, never a single client."""
    MEMBERS_MANAGE = "members.manage"
    """Manage the people and roles of one's own organisation; no case content."""
    ORGANISATIONS_MANAGE = "organisations.manage"
    """Add and change organisations on the platform."""
    AUDIT_VIEW_ORGANISATION = "audit.view_organisation"
    """Read the access log of one's own organisation's people."""
    AUDIT_VIEW_ALL = "audit.view_all"
    """Read and verify the whole access log."""
    DIRECTORY_VIEW = "directory.view"
    """The professional view of the sociale kaart: contact persons and referral details."""
    DIRECTORY_EDIT_OWN = "directory.edit_own"
    """Keep the sociale kaart records of one's own organisation up to date."""
    DIRECTORY_MANAGE = "directory.manage"
    """Keep every record of the sociale kaart up to date; import and full export (HSDS)."""
    INSTRUMENTS_MANAGE = "instruments.manage"
    """Choose which screening and risk instruments the organisation offers; upload its own."""
    API_KEYS_MANAGE = "api_keys.manage"
    """Choose which roles of the organisation may make and use personal API keys."""
    RETENTION_MANAGE = "retention.manage"
    """Set the organisation's own retention periods where its regime differs from the default."""
    RETENTION_HOLD = "retention.hold"
    """Place and lift a legal hold on one of the organisation's files, so the retention job keeps
    it: the aandachtsfunctionaris (who knows the cases) and the functioneel beheerder (who answers
    for retention). Neither reads the file for it."""
    TRAININGS_MANAGE = "trainings.manage"
    """Keep the organisation's meldcode registry current: its meldcode, its
    aandachtsfunctionarissen with their qualification, and the trainings its people followed."""
    KNOWLEDGE_EDIT = "knowledge.edit"
    """Write new versions of the knowledge per step and the signals per target group."""


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.PROFESSIONAL: frozenset({Permission.CASE_WORK, Permission.DIRECTORY_VIEW}),
    Role.MELDCODE_OFFICER: frozenset(
        {
            Permission.CASE_WORK,
            Permission.CASE_OVERSEE,
            Permission.DIRECTORY_VIEW,
            Permission.RETENTION_HOLD,
        }
    ),
    Role.CASE_COORDINATOR: frozenset(
        {Permission.CASE_WORK, Permission.CASE_COORDINATE, Permission.DIRECTORY_VIEW}
    ),
    Role.POLICY_ADVISER: frozenset({Permission.AGGREGATES_VIEW, Permission.DIRECTORY_VIEW}),
    Role.FUNCTIONAL_ADMIN: frozenset(
        {
            Permission.MEMBERS_MANAGE,
            Permission.AUDIT_VIEW_ORGANISATION,
            Permission.DIRECTORY_VIEW,
            Permission.DIRECTORY_EDIT_OWN,
            Permission.INSTRUMENTS_MANAGE,
            Permission.API_KEYS_MANAGE,
            Permission.RETENTION_MANAGE,
            Permission.RETENTION_HOLD,
            Permission.TRAININGS_MANAGE,
        }
    ),
    Role.PLATFORM_ADMIN: frozenset(
        {
            Permission.ORGANISATIONS_MANAGE,
            Permission.AUDIT_VIEW_ALL,
            Permission.AGGREGATES_VIEW,
            Permission.DIRECTORY_VIEW,
            Permission.DIRECTORY_MANAGE,
        }
    ),
    Role.CONTENT_EDITOR: frozenset({Permission.KNOWLEDGE_EDIT, Permission.DIRECTORY_VIEW}),
}

# Roles whose holders can see client data; they (and every other role) must log in with MFA.
CLIENT_DATA_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Permission.CASE_WORK in perms
)

# Roles an organisation's functioneel beheerder can allow to hold personal API keys. No role may
# until it is switched on (`organisations.models.ApiKeyRole`); the platform role never may, as
# its reach is the whole platform (docs/adr/0010-api-keys-per-organisation-and-role.md).
API_KEY_ROLES = frozenset(role for role in Role if role != Role.PLATFORM_ADMIN)


def permissions_for(roles: frozenset[str]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)
