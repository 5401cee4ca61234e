"""The rules and the world of the coordination URL access table (`test_url_access.py`). Each
area lists its URLs in `access_<area>.py`, with how to make the objects its URLs name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from meldwijzer.accounts.models import User
from meldwijzer.accounts.services import api_token_create
from meldwijzer.coordination.models import CoordinationFile, FileParts
from meldwijzer.organisations.models import Organisation, Sector
from meldwijzer.organisations.roles import API_KEY_ROLES, Role
from tests.coordination.builders import actor_of, add_member, file_open
from tests.factories import MembershipFactory, OrganisationFactory, allow_api_keys
from tests.test_url_access import LOGIN, NOBODY, url_kwargs

SCOPES = ("own", "team", "foreign")
WORKERS = frozenset({Role.PROFESSIONAL, Role.MELDCODE_OFFICER, Role.CASE_COORDINATOR})
LEADER = frozenset({Role.CASE_COORDINATOR})


@dataclass(frozen=True)
class FileAccess:
    own: frozenset[Role]
    """Roles of the leading organisation that may open it (in the team, or the casusregisseur)."""
    team: frozenset[Role] = NOBODY
    """Roles of a partner organisation in the team that may open it."""
    foreign: frozenset[Role] = NOBODY
    """Roles of an organisation outside the file that may open it."""
    method: str = "get"
    ok: int = 200
    anonymous: int | str = LOGIN
    denied: int = 404
    """Status for a role that may not: the file is 'not found'."""
    data: Callable[[World], dict[str, Any]] | None = None
    """What a POST sends (as form data to a page, as JSON to the API); nothing by default."""


FILE_PAGE = FileAccess(WORKERS, team=WORKERS)
FILE_API = FileAccess(WORKERS, team=WORKERS, anonymous=401)


@dataclass
class World:
    lead: Organisation
    partner: Organisation
    outsider: Organisation
    file: CoordinationFile
    made: dict[str, int] = field(default_factory=dict)

    def actor_with(self, role: Role, scope: str) -> User:
        if scope == "own" and role == Role.CASE_COORDINATOR:
            return self.file.coordinator
        organisation = {"own": self.lead, "team": self.partner, "foreign": self.outsider}[scope]
        user = MembershipFactory(role=role, organisation=organisation).user
        if scope in ("own", "team") and role in WORKERS:
            add_member(self.file, user, parts=tuple(FileParts))
        if role in API_KEY_ROLES:
            api_token_create(actor=actor_of(user), name="eigen")
        return user

    def url(self, name: str, objects: dict[str, Callable[[World], int]]) -> str:
        """The URL `name` with its objects made (once each) in this world."""
        kwargs = {}
        for kwarg in url_kwargs(name):
            if kwarg not in self.made:
                self.made[kwarg] = objects[kwarg](self)
            kwargs[kwarg] = self.made[kwarg]
        return reverse(name, kwargs=kwargs)


def world_make() -> World:
    lead = OrganisationFactory(name="Veilig Thuis Leidend", sector=Sector.VEILIG_THUIS)
    partner = OrganisationFactory(name="School Partner", sector=Sector.EDUCATION)
    outsider = OrganisationFactory(name="Opvang Buiten", sector=Sector.CHILDCARE)
    for organisation in (lead, partner, outsider):
        allow_api_keys(organisation, *API_KEY_ROLES)
    coordinator = MembershipFactory(role=Role.CASE_COORDINATOR, organisation=lead).user
    return World(lead, partner, outsider, file_open(coordinator))
