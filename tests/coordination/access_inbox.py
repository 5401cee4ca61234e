"""The inbox URLs of coordination in the access table (`test_url_access.py`): each URL's rule,
and how to make the objects its URLs name in the table's world.

The world's leading organisation is a Veilig Thuis: its staff read the inbox (`own`), its
casusregisseur (the file's) opens files and hands them over. A report comes from a case of the
partner school (`team`): there only its aandachtsfunctionaris may read the case besides the
responsible teacher, who is none of the table's people. A proposal goes from the file's
casusregisseur to a casusregisseur of a fourth organisation, so only the proposer has a part in
it; who may answer is tested in `test_inbox_handover.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from meldwijzer.organisations.models import Sector
from meldwijzer.organisations.roles import Role
from tests.coordination.access import FILE_API, FILE_PAGE, LEADER, WORKERS, FileAccess, World
from tests.coordination.inbox_builders import case_to_report, member, propose, send
from tests.factories import OrganisationFactory
from tests.test_url_access import NOBODY

OFFICER = frozenset({Role.MELDCODE_OFFICER})
PROPOSER = frozenset({Role.CASE_COORDINATOR})


def _feedback(world: World) -> dict[str, Any]:
    return {"date": timezone.localdate().isoformat(), "action": "onderzoek"}


def _send(world: World) -> dict[str, Any]:
    return {"veilig_thuis_id": world.lead.pk, "informed": "ja"}


def _title(world: World) -> dict[str, Any]:
    return {"title": "Gezin uit de melding"}


def _propose(world: World) -> dict[str, Any]:
    colleague = member(world.lead, Role.CASE_COORDINATOR)
    return {
        "to_user_id": colleague.pk,
        "to_organisation_id": world.lead.pk,
        "note": "Mijn collega neemt het over.",
    }


URL_ACCESS: dict[str, FileAccess] = {
    # The reporter's side: the partner school's case.
    "coordination:report_send": FileAccess(NOBODY, team=OFFICER),
    "api:coordination-report-status": FileAccess(NOBODY, team=OFFICER, anonymous=401),
    "api:coordination-report-send": FileAccess(
        NOBODY, team=OFFICER, method="post", ok=201, anonymous=401, data=_send
    ),
    # Veilig Thuis' inbox.
    "coordination:inbox": FileAccess(WORKERS),
    "coordination:report_detail": FileAccess(WORKERS),
    "coordination:report_receive": FileAccess(WORKERS, method="post", ok=302),
    "coordination:report_feedback": FileAccess(WORKERS),
    "coordination:report_file_open": FileAccess(LEADER),
    "api:coordination-report-list": FileAccess(WORKERS, anonymous=401),
    "api:coordination-report-detail": FileAccess(WORKERS, anonymous=401),
    "api:coordination-report-receive": FileAccess(WORKERS, method="post", anonymous=401),
    "api:coordination-report-feedback": FileAccess(
        WORKERS, method="post", ok=201, anonymous=401, data=_feedback
    ),
    "api:coordination-report-file-open": FileAccess(
        LEADER, method="post", ok=201, anonymous=401, data=_title
    ),
    # Opening a file without a report: any casusregisseur.
    "coordination:file_new": FileAccess(LEADER, team=LEADER, foreign=LEADER, denied=403),
    "api:coordination-file-open": FileAccess(
        LEADER,
        team=LEADER,
        foreign=LEADER,
        method="post",
        ok=201,
        anonymous=401,
        denied=403,
        data=_title,
    ),
    # Hand-overs.
    "coordination:handovers": FILE_PAGE,
    "coordination:handover_detail": FileAccess(PROPOSER),
    "coordination:handover_accept": FileAccess(NOBODY, method="post", ok=302),
    "coordination:handover_decline": FileAccess(NOBODY, method="post", ok=302),
    "coordination:handover_withdraw": FileAccess(PROPOSER, method="post", ok=302),
    "api:coordination-handover-list": FILE_API,
    "api:coordination-handover-propose": FileAccess(
        PROPOSER, method="post", ok=201, anonymous=401, data=_propose
    ),
    "api:coordination-handover-waiting": FileAccess(
        WORKERS, team=WORKERS, foreign=WORKERS, anonymous=401, denied=403
    ),
    "api:coordination-handover-detail": FileAccess(PROPOSER, anonymous=401),
    "api:coordination-handover-accept": FileAccess(NOBODY, method="post", anonymous=401),
    "api:coordination-handover-decline": FileAccess(NOBODY, method="post", anonymous=401),
    "api:coordination-handover-withdraw": FileAccess(PROPOSER, method="post", anonymous=401),
}


def _case(world: World) -> int:
    return case_to_report(member(world.partner)).pk


def _report(world: World) -> int:
    return send(member(world.partner), world.lead).pk


def _handover(world: World) -> int:
    elsewhere = OrganisationFactory(name="Wijkteam Elders", sector=Sector.SOCIAL_SUPPORT)
    return propose(world.file, member(elsewhere, Role.CASE_COORDINATOR), elsewhere).pk


OBJECTS: dict[str, Callable[[World], int]] = {
    "case_id": _case,
    "report_id": _report,
    "handover_id": _handover,
}
