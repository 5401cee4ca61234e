"""The datalab's aggregates through the API: the report overview and one analysis with its
protected tables — a hidden cell has no value — for API keys of policy advisers, logged."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, Subject
from meldwijzer.datalab.disclosure import RULE
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.datalab.sample_report import HIDDEN_QUARTER, sample  # noqa: F401
from tests.factories import MembershipFactory, allow_api_keys


@pytest.fixture
def api(db, sample):  # noqa: F811
    membership = MembershipFactory(role=Role.POLICY_ADVISER)
    allow_api_keys(membership.organisation, Role.POLICY_ADVISER)
    _, secret = api_token_create(
        actor=actor_for_user(user=membership.user, organisation_id=membership.organisation.pk),
        name="t",
    )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_report_overview(api):
    data = api.get(reverse("api:datalab-report")).json()
    assert data["version"] == "abc123def456"
    assert data["rule"] == RULE
    assert data["first_day"] == "2021-01-01"
    assert [a["key"] for a in data["analyses"]] == ["meldingen", "wijken", "melders", "herhaling"]
    assert data["analyses"][3]["has_data"] is False
    police = data["sources"][1]
    assert police["records"] == {"shown": ".", "value": None, "reason": "P"}
    assert data["reasons"]["P"].startswith("minder dan 10")


def test_analysis_tables_with_hidden_cells_as_null(api):
    response = api.get(reverse("api:datalab-analysis", kwargs={"key": "meldingen"}))
    assert response.status_code == 200
    table = response.json()["tables"][0]
    assert table["columns"] == ["Meldingen"]
    rows = {row["key"]: row["cells"][0] for row in table["rows"]}
    assert rows[HIDDEN_QUARTER] == {"shown": ".", "value": None, "reason": "P"}
    assert rows["2021-K1"] == {"shown": "115", "value": 115.0, "reason": ""}
    logged = AccessLogEntry.objects.filter(subject_type=Subject.AGGREGATES)
    assert "meldingen@abc123def456" in set(logged.values_list("subject_id", flat=True))


def test_unknown_analysis_is_not_found(api):
    assert api.get(reverse("api:datalab-analysis", kwargs={"key": "niets"})).status_code == 404
