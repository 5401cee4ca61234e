"""The actor: a person acting on behalf of one organisation, with the roles they hold there.

Every selector and service takes an actor, so the access log always knows who acted, for which
organisation, and in which role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from meldwijzer.organisations.roles import ROLE_PERMISSIONS, Permission, permissions_for

if TYPE_CHECKING:
    from meldwijzer.accounts.models import User
    from meldwijzer.organisations.models import Organisation


@dataclass(frozen=True)
class Actor:
    user: User
    organisation: Organisation
    roles: frozenset[str]
    # Of `roles`, those in which the organisation allows personal API keys, read with the actor
    # for the navigation; the API itself checks afresh (`selectors.actor_api_key_roles`).
    api_key_roles: frozenset[str] = frozenset()

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_for(self.roles)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def role_for(self, permission: Permission | None = None) -> str:
        """The role that grants `permission` (for the access log); the first role otherwise."""
        ordered = sorted(self.roles)
        if permission is not None:
            for role in ordered:
                if permission in ROLE_PERMISSIONS.get(role, frozenset()):
                    return role
        return ordered[0] if ordered else ""
