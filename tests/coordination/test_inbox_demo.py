"""The inbox demo: a report in every state, a new family file handed over from Veilig Thuis to
the wijkteam, one proposal waiting; loading twice changes nothing."""

from __future__ import annotations

import pytest

from meldwijzer.coordination import inbox
from meldwijzer.coordination.demo_inbox import HANDED_OVER_FILE
from meldwijzer.coordination.models import (
    CoordinationFile,
    Handover,
    HandoverState,
    IncomingReport,
)
from meldwijzer.coordination.selectors import file_access_for
from meldwijzer.demo import demo_load
from meldwijzer.organisations.models import Sector
from tests.coordination.builders import actor_of

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def test_the_inbox_demo():
    demo_load()
    counts = (IncomingReport.objects.count(), Handover.objects.count())
    demo_load()
    assert (IncomingReport.objects.count(), Handover.objects.count()) == counts

    reports = [inbox.report_for_case(r.case) for r in IncomingReport.objects.all()]
    states = {inbox.report_state_label(r) for r in reports if r is not None}
    assert states == {"Nieuw", "Ontvangen", "Terugkoppeling gegeven", "Regiedossier geopend"}
    assert {r.sent_by.username for r in IncomingReport.objects.all()} >= {
        "docent",
        "huisarts",
        "jgz",
    }

    file = CoordinationFile.objects.get(title=HANDED_OVER_FILE)
    assert file.coordinator.username == "regisseur"
    assert file.lead_organisation.sector == Sector.SOCIAL_SUPPORT
    assert file.reports.get().sent_by.username == "docent"
    assert file.handovers.get().state == HandoverState.ACCEPTED
    veilig_thuis = file.handovers.get().from_user
    kept = file_access_for(actor_of(veilig_thuis), file)
    assert kept.allowed and kept.grant is not None
    assert Handover.objects.filter(state=HandoverState.PROPOSED).count() == 1
