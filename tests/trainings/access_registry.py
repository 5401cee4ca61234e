"""Who may open the pages and API operations of the registry area: URL name → roles (own
organisation). `test_access_registry.py` tries every role on its own and another organisation.

`kwargs` names the object a URL is about ('officer' or 'adoption'): the test fills in one of the
own organisation's, and then one of another organisation's, which must be 'not found' (404) and
logged as refused."""

from __future__ import annotations

from dataclasses import dataclass

from meldwijzer.organisations.roles import Role


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    kwargs: tuple[tuple[str, str], ...] = ()
    """URL argument → the kind of object it names ('officer', 'adoption')."""
    api: bool = False


EVERYONE = frozenset(Role)
BEHEER = frozenset({Role.FUNCTIONAL_ADMIN})
DATALAB = frozenset({Role.POLICY_ADVISER, Role.PLATFORM_ADMIN})

RULES: dict[str, Rule] = {
    "trainings:my_training": Rule(EVERYONE),
    "trainings:registry": Rule(BEHEER),
    "trainings:registry_training_new": Rule(BEHEER),
    "trainings:registry_officer_new": Rule(BEHEER),
    "trainings:registry_officer_end": Rule(BEHEER, (("officer_id", "officer"),)),
    "trainings:registry_meldcode_new": Rule(BEHEER),
    # Every member of the organisation reads its meldcode; another organisation's is not found.
    "trainings:meldcode_document": Rule(EVERYONE, (("adoption_id", "adoption"),)),
    "api:trainings-registry": Rule(BEHEER, api=True),
    "api:trainings-registry-trainings": Rule(BEHEER, api=True),
    "api:trainings-registry-officers": Rule(BEHEER, api=True),
    "api:trainings-me": Rule(EVERYONE, api=True),
    "api:trainings-coverage": Rule(DATALAB, api=True),
}
