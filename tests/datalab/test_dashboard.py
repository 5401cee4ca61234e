"""The dashboard pages: the overview with a card per question, one page per question with its
charts above the data tables, hidden cells as '.' with their reason, the rule on every page,
every read logged, and a bounded number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, Subject
from meldwijzer.datalab.disclosure import RULE
from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login
from tests.datalab.sample_report import HIDDEN_QUARTER, sample  # noqa: F401
from tests.factories import MembershipFactory


@pytest.fixture
def adviser(db, client, sample):  # noqa: F811
    membership = MembershipFactory(role=Role.POLICY_ADVISER)
    force_verified_login(client, membership.user)
    return client


def _reads() -> list[str]:
    return list(
        AccessLogEntry.objects.filter(subject_type=Subject.AGGREGATES).values_list(
            "subject_id", flat=True
        )
    )


def test_overview_shows_period_sources_and_a_card_per_question(adviser):
    response = adviser.get(reverse("datalab:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Datalab Noordoostpolder" in html
    assert "1 januari 2021 tot en met 30 juni 2022" in html
    assert "Veilig Thuis Flevoland" in html and "1.035" in html
    for key in ("meldingen", "wijken", "melders", "herhaling"):
        assert reverse("datalab:analysis", kwargs={"analysis": key}) in html
    card = html[html.index("Herhaling") :]
    assert "Nog geen gegevens" in card[: card.index("</li>")]
    assert reverse("datalab:report_pdf") in html and reverse("datalab:imports") in html
    assert RULE in html
    assert _reads() == ["overzicht@abc123def456"] or _reads()[0].startswith("overzicht@")


def test_analysis_page_chart_above_table_and_hidden_cells_with_reason(adviser):
    response = adviser.get(reverse("datalab:analysis", kwargs={"analysis": "meldingen"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('<svg xmlns="http://www.w3.org/2000/svg" class="mw-chart"') < html.index(
        "<table"
    )
    assert '<caption class="utrecht-table__caption" id="tabel-kwartalen">' in html
    assert 'scope="col"' in html and 'scope="row"' in html
    row = re.search(rf'scope="row">{HIDDEN_QUARTER}</th>(.*?)</tr>', html, re.S)
    assert row is not None
    assert 'mw-datalab-hidden">.</span>' in row.group(1) and ">P</abbr>" in row.group(1)
    assert RULE in html
    assert "minder dan 10 (1 tot en met 9)" in html  # the legend of reasons
    for file_format in ("csv", "xlsx"):
        url = reverse(
            "datalab:export", kwargs={"analysis": "meldingen", "file_format": file_format}
        )
        assert url in html
    assert any(r.startswith("meldingen@") for r in _reads())


def test_wijken_page_has_the_map_and_its_table(adviser):
    html = adviser.get(reverse("datalab:analysis", kwargs={"analysis": "wijken"})).content.decode()
    assert 'class="mw-map"' in html
    assert reverse("datalab:map", kwargs={"table": "wijken"}) in html
    assert html.index('class="mw-map"') < html.index('id="tabel-wijken"')


def test_unknown_analysis_is_not_found(adviser):
    response = adviser.get(reverse("datalab:analysis", kwargs={"analysis": "bestaat-niet"}))
    assert response.status_code == 404


def test_queries_are_bounded(adviser):
    urls = [reverse("datalab:overview")] + [
        reverse("datalab:analysis", kwargs={"analysis": key})
        for key in ("meldingen", "wijken", "melders")
    ]
    adviser.get(urls[0])  # warm the report cache and the session
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert adviser.get(url).status_code == 200
        assert len(queries) <= 20, (url, len(queries))


def test_other_roles_are_refused(db, client, sample):  # noqa: F811
    membership = MembershipFactory(role=Role.PROFESSIONAL)
    force_verified_login(client, membership.user)
    assert client.get(reverse("datalab:overview")).status_code == 403
    assert (
        client.get(reverse("datalab:analysis", kwargs={"analysis": "meldingen"})).status_code == 403
    )
