"""Access-log rows for tests: plain page reads, written now or in a month of the past."""

from __future__ import annotations

import datetime as dt

import time_machine

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.partitions import Month
from meldwijzer.audit.services import access_log_record


def page_read(organisation, user, number: int) -> None:
    access_log_record(
        actor=None,
        user=user,
        organisation=organisation,
        action=Action.READ,
        subject=Subject.PAGE,
        subject_id=str(number),
        purpose=Purpose.CARE,
    )


def page_reads_in(month: Month, organisation, user, rows: int = 2) -> None:
    """`rows` page reads on the fourth day of `month`."""
    with time_machine.travel(month.start + dt.timedelta(days=3), tick=False):
        for number in range(rows):
            page_read(organisation, user, number)
