"""Who may call which follow-up API operation, and the plans the table is tried against.

Every operation is tried (`test_api_access.py`) by every role, on three plans:
- `own`: a plan of the caller's organisation — for a role that works on cases, one they closed
  and follow themselves; for any other role, one a colleague follows;
- `grant`: a plan another organisation closed, followed in the caller's organisation on a grant
  (by the caller when their role works on cases, else by a colleague);
- `foreign`: a plan of another organisation that nobody of the caller's organisation follows.
A plan out of reach is 'not found' (404) and logged as refused, for every role. The writes are
tried with an empty body: who may, gets the service's Dutch 400 and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Outcome
from meldwijzer.followups.models import Alert, FollowupContact, FollowupPlan
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Permission, Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import services as privacy_services
from tests.factories import MembershipFactory, OrganisationFactory
from tests.followups.builders import agreement, closed_with_plan, help_case

CASE_ROLES = frozenset({Role.PROFESSIONAL, Role.MELDCODE_OFFICER, Role.CASE_COORDINATOR})
NOBODY: frozenset[Role] = frozenset()
SCOPES = ("own", "grant", "foreign")


@dataclass(frozen=True)
class ApiAccess:
    """One operation: who may, per scope; what they get; what everyone else gets."""

    own: frozenset[Role]
    grant: frozenset[Role] = NOBODY
    method: str = "get"
    ok: int = 200
    """For the writes, tried with an empty body: the Dutch 400 of the service or serializer."""
    denied: int = 404
    object: str = "plan"
    """What the URL names: 'plan', 'planned', 'alert' or '' (a list)."""

    def allowed(self, role: Role, scope: str) -> bool:
        return role in {"own": self.own, "grant": self.grant}.get(scope, NOBODY)


LIST = ApiAccess(CASE_ROLES, denied=403, object="")
PLAN_READ = ApiAccess(CASE_ROLES, CASE_ROLES)
PLAN_WRITE = ApiAccess(CASE_ROLES, CASE_ROLES, method="post", ok=400)

URL_ACCESS: dict[str, ApiAccess] = {
    "api:followup-week": LIST,
    "api:followup-plans": LIST,
    "api:followup-alerts": LIST,
    "api:followup-plan": PLAN_READ,
    "api:followup-plan-contacts": PLAN_WRITE,
    "api:followup-plan-change": PLAN_WRITE,
    "api:followup-plan-end": PLAN_WRITE,
    "api:followup-planned-move": ApiAccess(
        CASE_ROLES, CASE_ROLES, method="post", ok=400, object="planned"
    ),
    # Only whom the alert is for (the last casusregisseur, or who closed): in the own scope the
    # alert is addressed to the caller; in the others to someone else.
    "api:followup-alert-acknowledge": ApiAccess(CASE_ROLES, method="post", ok=400, object="alert"),
}


def actor_of(user: User) -> Actor:
    actor = actor_for_user(user=user)
    assert actor is not None
    return actor


def member(role: Role, organisation: Organisation) -> Actor:
    return actor_of(MembershipFactory(role=role, organisation=organisation).user)


def closed_on_grant(owner: Actor, follower: Actor) -> FollowupPlan:
    """A case `owner` closes, followed by `follower` of another organisation on consent."""
    case = help_case(owner)
    ground = privacy_services.sharing_ground_record(
        actor=owner, client_pseudonym=case.client_pseudonym, kind="toestemming",
        what="Het vervolgplan", with_whom="De jeugdverpleegkundige", purpose="Nazorg",
        given_by="moeder (met gezag)",
    )  # fmt: skip
    case_services.case_decide(
        actor=owner, case=case, expected_version=case.version, outcome=Outcome.CLOSE_FOLLOWUP,
        followup=agreement(follower, ground_id=ground.pk),
    )  # fmt: skip
    plan = FollowupPlan.objects.get(case=case)
    assert plan.grant_id is not None
    return plan


def alert_make(plan: FollowupPlan, to_user: User) -> Alert:
    """An open 'niet veilig' alert on `plan` (rows only: the re-opening is tested elsewhere)."""
    contact = FollowupContact.objects.create(
        plan=plan, held_on=timezone.localdate(), mode="huisbezoek", summary="Huisbezoek.",
        safety="onveilig", safety_note="Vader was dronken.", recorded_by=plan.follower,
        recorded_organisation=plan.follower_organisation, recorded_at=timezone.now(),
    )  # fmt: skip
    return Alert.objects.create(
        plan=plan, contact=contact, to_user=to_user, created_at=timezone.now()
    )


@dataclass
class Scene:
    actor: Actor
    plans: dict[str, FollowupPlan]
    alerts: dict[str, Alert]


def scene_make(role: Role) -> Scene:
    """The caller with `role`, and a plan and an alert in each scope."""
    home = OrganisationFactory(name="Wijkteam Eigen")
    elsewhere = OrganisationFactory(name="Basisschool Elders")
    actor = member(role, home)
    works = actor.can(Permission.CASE_WORK)
    holder = actor if works else member(Role.PROFESSIONAL, home)
    outsider = member(Role.PROFESSIONAL, elsewhere)
    plans = {
        "own": closed_with_plan(holder),
        "grant": closed_on_grant(outsider, holder),
        "foreign": closed_with_plan(outsider),
    }
    alerts = {
        "own": alert_make(plans["own"], holder.user),
        "grant": alert_make(plans["grant"], outsider.user),
        "foreign": alert_make(plans["foreign"], outsider.user),
    }
    return Scene(actor=actor, plans=plans, alerts=alerts)


URL_ARGS = {
    "plan": ["plan_id"],
    "planned": ["plan_id", "planned_id"],
    "alert": ["alert_id"],
    "": [],
}


def url_kwargs(rule: ApiAccess, scene: Scene, scope: str) -> dict[str, int]:
    plan = scene.plans[scope]
    if rule.object == "plan":
        return {"plan_id": plan.pk}
    if rule.object == "planned":
        return {"plan_id": plan.pk, "planned_id": plan.planned.order_by("pk").first().pk}
    if rule.object == "alert":
        return {"alert_id": scene.alerts[scope].pk}
    return {}
