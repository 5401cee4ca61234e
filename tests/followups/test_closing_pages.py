"""Closing a case after afweging 5 = ja on the decision page and through the API: only with
agreements on following the family's safety (who, how, until when), which start one follow-up
plan; a follower of another organisation needs a ground, which becomes a grant."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.services import api_token_create
from meldwijzer.cases.followers import default_until
from meldwijzer.cases.models import Case, Outcome
from meldwijzer.cases.workflow import Phase
from meldwijzer.followups.models import FollowupPlan
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import AccessGrant, GroundKind, ResourceKind
from tests.conftest import force_verified_login
from tests.factories import allow_api_keys_for
from tests.followups.builders import help_case

pytestmark = pytest.mark.django_db

HOW = "Maandelijks contact met moeder; bij zorgen belt zij de JGZ."


def _actor(user: Any) -> Actor:
    actor = actor_for_user(user=user)
    assert actor is not None
    return actor


@pytest.fixture
def actor(make_member, organisation) -> Actor:
    return _actor(make_member(Role.PROFESSIONAL, organisation))


@pytest.fixture
def elsewhere(make_member, other_organisation) -> Actor:
    """A JGZ nurse of another organisation, who may follow the family."""
    return _actor(make_member(Role.PROFESSIONAL, other_organisation))


def _send(channel: str, actor: Actor, case: Case, follower: Actor | None, **changes: Any):
    """Post the decision to close with follow-up, on the page or through the API."""
    until = changes.pop("until", default_until())
    how = changes.pop("how", HOW)
    ground = changes.pop("ground", None)
    assert not changes
    if channel == "page":
        client = force_verified_login(Client(), actor.user)
        data = {
            "outcome": Outcome.CLOSE_FOLLOWUP,
            "version": case.version,
            "follower": f"{follower.user.pk}:{follower.organisation.pk}" if follower else "",
            "how": how,
            "until": until.isoformat() if until else "",
            "ground": str(ground or ""),
        }
        return client.post(reverse("cases:decide", kwargs={"case_id": case.pk}), data)
    allow_api_keys_for(actor.user)
    _, secret = api_token_create(actor=actor, name="koppeling")
    body = {
        "outcome": Outcome.CLOSE_FOLLOWUP,
        "version": case.version,
        "follower_id": follower.user.pk if follower else None,
        "organisation_id": follower.organisation.pk if follower else None,
        "how": how,
        "until": until.isoformat() if until else None,
        "ground_id": ground,
    }
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
        f"/api/v1/cases/{case.pk}/decision/", body, content_type="application/json"
    )


def _refused_on(response: Any, channel: str, field: str, fragment: str) -> None:
    assert response.status_code == 400, response.content[:500]
    if channel == "api":
        fields = response.json()["error"]["fields"]
        assert fragment in " ".join(fields[field]), fields
    else:
        assert fragment in response.content.decode()


def _nothing_changed(case: Case) -> None:
    stored = Case.objects.get(pk=case.pk)
    assert (stored.phase, stored.outcome) == (Phase.HELP, Outcome.HELP)
    assert not FollowupPlan.objects.exists()
    assert not AccessGrant.objects.exists()


def test_the_page_offers_closing_with_agreements_and_not_plain_closing(actor, elsewhere, verified):
    case = help_case(actor)
    page = verified(actor.user).get(reverse("cases:decide", kwargs={"case_id": case.pk}))
    html = page.content.decode()
    assert 'value="close_followup"' in html and 'value="close"' not in html
    assert "Hoe volgt u de veiligheid en wat spreekt u af met het gezin?" in html
    assert "volgt meestal de jeugdgezondheidszorg (JGZ)" in html
    name = elsewhere.user.get_full_name() or elsewhere.user.username
    assert f"{name} — {elsewhere.organisation.name}" in html
    assert f'value="{default_until().isoformat()}"' in html


def test_plain_closing_after_afweging_5_is_refused(actor, verified):
    case = help_case(actor)
    response = verified(actor.user).post(
        reverse("cases:decide", kwargs={"case_id": case.pk}),
        {"outcome": Outcome.CLOSE, "version": case.version, "justification": "Het gaat goed."},
    )
    assert "Na afweging 5 sluit u niet af zonder afspraken" in response.content.decode()
    _nothing_changed(case)
    allow_api_keys_for(actor.user)
    _, secret = api_token_create(actor=actor, name="koppeling")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
        f"/api/v1/cases/{case.pk}/decision/",
        {"outcome": Outcome.CLOSE, "version": case.version, "justification": "Het gaat goed."},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "afspraken over het volgen" in response.json()["error"]["message"]
    _nothing_changed(case)


@pytest.mark.parametrize("channel", ["page", "api"])
@pytest.mark.parametrize(
    ("missing", "field", "fragment"),
    [
        ("follower", "follower", "Kies de professional"),
        ("how", "how", "Beschrijf hoe de veiligheid"),
        ("until", "until", "Kies tot wanneer"),
        ("until_today", "until", "Kies tot wanneer"),
    ],
)
def test_closing_without_each_agreement_changes_nothing(actor, channel, missing, field, fragment):
    case = help_case(actor)
    changes: dict[str, Any] = {
        "follower": {},
        "how": {"how": "   "},
        "until": {"until": None},
        "until_today": {"until": timezone.localdate()},
    }[missing]
    follower = None if missing == "follower" else actor
    response = _send(channel, actor, case, follower, **changes)
    if channel == "api":
        field = {"follower": "follower_id"}.get(field, field)
    _refused_on(response, channel, field, fragment)
    _nothing_changed(case)


@pytest.mark.parametrize("channel", ["page", "api"])
def test_closing_with_agreements_closes_and_starts_one_plan(actor, channel):
    case = help_case(actor)
    response = _send(channel, actor, case, actor)
    assert response.status_code in (201, 302), response.content[:500]
    stored = Case.objects.get(pk=case.pk)
    assert (stored.phase, stored.outcome) == (Phase.CLOSED, Outcome.CLOSE_FOLLOWUP)
    plan = FollowupPlan.objects.get()
    assert (plan.case_id, plan.follower, plan.how) == (case.pk, actor.user, HOW)
    assert plan.ends_on == default_until()
    assert not AccessGrant.objects.exists()


@pytest.mark.parametrize("channel", ["page", "api"])
def test_a_follower_of_another_organisation_needs_a_ground(actor, elsewhere, channel):
    case = help_case(actor)
    response = _send(channel, actor, case, elsewhere)
    _refused_on(response, channel, "ground_id" if channel == "api" else "ground", "grondslag")
    _nothing_changed(case)

    ground = privacy_services.sharing_ground_record(
        actor=actor,
        client_pseudonym=case.client_pseudonym,
        kind=GroundKind.CONSENT,
        what="De afspraken over het volgen van de veiligheid",
        with_whom="De JGZ",
        purpose="Het volgen van de veiligheid na afsluiten",
        given_by="moeder (met gezag)",
    )
    case.refresh_from_db()
    response = _send(channel, actor, case, elsewhere, ground=ground.pk)
    assert response.status_code in (201, 302), response.content[:500]
    plan = FollowupPlan.objects.get(case=case)
    grant = AccessGrant.objects.get()
    assert (grant.user, grant.organisation) == (elsewhere.user, elsewhere.organisation)
    assert (grant.resource_kind, grant.resource_id) == (ResourceKind.FOLLOWUP_PLAN, plan.pk)
    assert grant.ground == ground
