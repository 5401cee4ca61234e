"""Who may open the follow-up figures: policy advisers and the platform's administrator; anyone
else is refused and logged, anonymous visitors go to the login page. Bad input never breaks the
page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.organisations.roles import Role

pytestmark = pytest.mark.django_db

URL = reverse("followups:figures")


@pytest.mark.parametrize("role", [Role.POLICY_ADVISER, Role.PLATFORM_ADMIN])
def test_policy_sees_the_figures_and_the_read_is_logged(verified, make_member, role):
    response = verified(make_member(role)).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cijfers over de nazorg" in page and "&lt;10" in page
    row = AccessLogEntry.objects.filter(subject_type="aggregaten", part="nazorg").get()
    assert (row.outcome, row.purpose, row.client_id) == ("allowed", "beleid", "")


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.MELDCODE_OFFICER])
def test_professionals_are_refused_and_it_is_logged(verified, make_member, role):
    response = verified(make_member(role)).get(URL)
    assert response.status_code == 403
    row = AccessLogEntry.objects.filter(subject_type="aggregaten", part="nazorg").get()
    assert (row.outcome, row.purpose) == ("denied", "beleid")


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and "inloggen" in response["Location"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("started_from=gisteren", "Vul een datum in"),
        ("started_from=2027-05-01&started_to=2027-01-01", "einddatum op of na de begindatum"),
    ],
)
def test_bad_periods_are_explained_not_computed(verified, make_member, query, message):
    response = verified(make_member(Role.POLICY_ADVISER)).get(f"{URL}?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["figures"] is None


def test_a_period_is_named_in_the_log(verified, make_member):
    client = verified(make_member(Role.POLICY_ADVISER))
    assert client.get(f"{URL}?started_from=2027-01-01&started_to=").status_code == 200
    row = AccessLogEntry.objects.get(subject_type="aggregaten", part="nazorg")
    assert row.subject_id == "gestart van 01-01-2027 tot en met nu"
