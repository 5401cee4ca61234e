"""The case page and the report read the actor and the dossier once, whatever the dossier holds."""

from __future__ import annotations

import re

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.cases import services
from meldwijzer.cases.entries import SignalForm
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import record, weigh_unsafe, weighing_case

pytestmark = pytest.mark.django_db

# The case page: session, user, second factor, actor, case, the access-log rows for the dossier and
# its access history (one savepoint, one head), dossier (entries, people, phase changes), what other
# apps offer (the instruments switched on, coordination, whether the client has copies or
# statements, the knowledge of the step), the access history.
CASE_PAGE_QUERIES = 20
REPORT_QUERIES = 13


def _grow(actor, case, rows: int) -> None:
    for number in range(rows):
        record(actor, case, SignalForm, {
            "date": timezone.localdate().isoformat(), "category": "lichamelijk",
            "source": "eigen", "facts": f"Signaal {number}.",
        })  # fmt: skip
        services.case_record_person(
            actor=actor, case=case, expected_version=case.version, kind="other",
            name=f"Broer {number}",
        )  # fmt: skip


def _tables_read(queries: CaptureQueriesContext) -> list[str]:
    """The table each SELECT reads (its first column's)."""
    return [
        match.group(1)
        for query in queries.captured_queries
        if (match := re.match(r'SELECT (?:DISTINCT )?"(\w+)"\.', query["sql"]))
    ]


@pytest.mark.parametrize(
    ("page", "most"), [("cases:detail", CASE_PAGE_QUERIES), ("cases:report_print", REPORT_QUERIES)]
)
def test_the_page_reads_the_actor_and_each_part_of_the_dossier_once(
    make_member, organisation, verified, django_assert_max_num_queries, page, most
):
    user = make_member(Role.PROFESSIONAL, organisation)
    actor = actor_for_user(user=user)
    case = weighing_case(actor)
    weigh_unsafe(actor, case)
    client = verified(user)
    url = reverse(page, args=[case.pk])
    client.get(url)
    with django_assert_max_num_queries(most) as few:
        assert client.get(url).status_code == 200
    _grow(actor, case, 15)
    with django_assert_max_num_queries(most) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert "Broer 14" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    tables = _tables_read(many)
    for table in (
        "accounts_user",
        "organisations_membership",
        "cases_case",
        "cases_entry",
        "cases_person",
        "cases_phasechange",
    ):
        assert tables.count(table) == 1, (table, tables)
    assert "organisations_apikeyrole" not in tables
    if page == "cases:detail":
        # Whether an instrument can be started needs the organisation's instruments only; a case
        # that was never closed has no follow-up plan to link to.
        for table in (
            "instruments_instrumentresult",
            "instruments_instrumentdraft",
            "followups_followupplan",
        ):
            assert table not in tables, (table, tables)
        # What other apps add reads only what they decide or show by: no instrument's definition
        # text, no coordination file for a dossier that sent no report into one, not who last
        # changed the step's knowledge.
        sql = [query["sql"] for query in many.captured_queries]
        assert not any("source_text" in query for query in sql)
        assert "coordination_coordinationfile" not in tables
        assert not any("trainings_knowledgeversion" in q and "accounts_user" in q for q in sql)
