"""Every follow-up page × every role × the scopes of `access_pages.py` (own organisation's plan, a
plan followed on a grant, a foreign organisation's plan): the allowed status, or a refusal that is
in the access log. One world per scope; every mismatch is reported at once."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.followups import selectors, services
from meldwijzer.followups.models import FollowupPlan, FollowupSignal, Safety
from meldwijzer.organisations.models import Organisation, Sector
from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of
from tests.factories import MembershipFactory, OrganisationFactory
from tests.followups.access_pages import ELSEWHERE, URL_ACCESS
from tests.followups.builders import closed_followed_elsewhere, closed_with_plan
from tests.test_url_access import LOGIN, url_kwargs

SCOPES = ("own", "grant", "foreign")

# The follow-up URLs other parts of follow-up own (and test) themselves.


@dataclass
class World:
    scope: str
    organisation: Organisation
    professional: User | None
    plan: FollowupPlan
    closer: User
    made: dict[str, int] = field(default_factory=dict)

    def user_with(self, role: Role) -> User:
        if role == Role.PROFESSIONAL and self.professional is not None:
            return self.professional
        return MembershipFactory(role=role, organisation=self.organisation).user

    def _alert(self) -> int:
        """A 'niet veilig' alert for who closed the case, on a plan of this scope's kind."""
        closer = actor_of(self.closer)
        if self.scope == "grant":
            assert self.professional is not None
            follower = actor_of(self.professional)
            plan = closed_followed_elsewhere(closer, follower)
        else:
            follower, plan = closer, closed_with_plan(closer)
        access = selectors.plan_get(actor=follower, plan_id=plan.pk)
        with services.alerts_muted():
            contact = services.contact_record(
                actor=follower,
                access=access,
                data=services.ContactData(
                    held_on=timezone.localdate(),
                    mode="telefoon",
                    summary="Gebeld.",
                    safety=Safety.UNSAFE,
                    safety_note="Het is niet veilig.",
                ),
            )
        return contact.alert.pk

    def url(self, name: str) -> str:
        makers = {
            "plan_id": lambda: self.plan.pk,
            "planned_id": lambda: selectors.open_planned(self.plan)[0].pk,
            "signal_id": lambda: (
                FollowupSignal.objects.create(
                    plan=self.plan,
                    case=self.plan.case,
                    organisation=self.plan.owner_organisation,
                    created_at=timezone.now(),
                ).pk
            ),
            "alert_id": self._alert,
        }
        kwargs = {}
        for kwarg in url_kwargs(name):
            if kwarg not in self.made:
                self.made[kwarg] = makers[kwarg]()
            kwargs[kwarg] = self.made[kwarg]
        return reverse(name, kwargs=kwargs)


def world_make(scope: str) -> World:
    school = OrganisationFactory(name="Basisschool Eigen", sector=Sector.EDUCATION)
    closer = MembershipFactory(role=Role.PROFESSIONAL, organisation=school).user
    if scope == "own":
        return World(scope, school, closer, closed_with_plan(actor_of(closer)), closer)
    if scope == "grant":
        ggd = OrganisationFactory(name="GGD Volgend", sector=Sector.PUBLIC_HEALTH)
        nurse = MembershipFactory(role=Role.PROFESSIONAL, organisation=ggd).user
        plan = closed_followed_elsewhere(actor_of(closer), actor_of(nurse))
        return World(scope, ggd, nurse, plan, closer)
    outsider = OrganisationFactory(name="Opvang Buiten", sector=Sector.CHILDCARE)
    return World(scope, outsider, None, closed_with_plan(actor_of(closer)), closer)


def _denied(user: User) -> int:
    return AccessLogEntry.objects.filter(user=user, outcome=AccessOutcome.DENIED).count()


@pytest.mark.parametrize("scope", SCOPES)
def test_every_page_for_every_role(db, scope):
    world = world_make(scope)
    users = {role: world.user_with(role) for role in Role}
    mismatches = []
    for name, rule in URL_ACCESS.items():
        url = world.url(name)
        for role, user in users.items():
            client = force_verified_login(Client(), user)
            before = _denied(user)
            response = getattr(client, rule.method)(url)
            allowed = role in getattr(rule, scope)
            expected = rule.ok if allowed else rule.denied if role in rule.door else 403
            logged = _denied(user) - before
            if response.status_code != expected or logged != (0 if allowed else 1):
                mismatches.append(
                    f"{name} {role.value}: {response.status_code} (expected {expected}), "
                    f"{logged} refusal(s) logged"
                )
    assert not mismatches, "\n".join(mismatches)


def test_anonymous_is_sent_to_login_and_post_pages_refuse_get(db):
    world = world_make("own")
    client = Client()
    for name, rule in URL_ACCESS.items():
        url = world.url(name)
        response = getattr(client, rule.method)(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name
        assert LOGIN
        if rule.method == "post":
            logged_in = force_verified_login(Client(), world.closer)
            assert logged_in.get(url).status_code == 405, name


def test_the_table_names_every_page_of_these_views():
    from tests.test_url_access import url_patterns

    names = {name for name, _, _ in url_patterns() if name.startswith("followups:")}
    assert names - set(ELSEWHERE) == set(URL_ACCESS)
