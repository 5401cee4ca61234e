"""The rights demo: a copy given to a parent and the client's statement, loaded once."""

from __future__ import annotations

import pytest

from meldwijzer.accounts import demo as accounts_demo
from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.cases import demo as cases_demo
from meldwijzer.organisations import demo as organisations_demo
from meldwijzer.rights import demo
from meldwijzer.rights.models import ClientStatement, CopyGiven, Relation

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def test_the_demo_has_a_copy_for_a_parent_and_a_statement_and_loads_once():
    organisations_demo.load()
    accounts_demo.load()
    cases_demo.load()
    demo.load()
    demo.load()
    copy = CopyGiven.objects.select_related("case", "recipient").get()
    assert (copy.case.title, copy.relation) == (demo.CASE_TITLE, Relation.PARENT)
    assert copy.recipient.authority == "ja" and copy.identified
    assert ClientStatement.objects.get().case == copy.case
    assert (
        AccessLogEntry.objects.filter(
            subject_type="afschrift", client_id=copy.case.client_pseudonym
        ).count()
        == 1
    )
