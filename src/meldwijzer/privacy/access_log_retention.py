"""The access log's own retention term, and pruning what is older (`meldwijzer audit prune`).

The access log is kept for its term from each row's date (`toegangslogboek` in `retention.yaml`;
NEN 7513 asks at least five years). A month of the log holds every organisation's chain, so a
month goes only once the longest term of any organisation (the table's, or an organisation's own
that is longer) has passed for all of its rows: the months before the one in which that term
began. A term below five years in the table is refused: nothing is pruned.

Before removing anything, each month to go is verified on its own (`audit_month_verify`): a month
that is not in order is evidence, and stays. Then a checkpoint of every chain's head is written
outside the database, as `meldwijzer audit checkpoint` does, which is refused if the log no
longer matches the previous checkpoints. Then, in one transaction, the audit app anchors every
chain and removes the months (`audit.pruning`), and one access-log row records the pruning, as the
retention job records a destruction (ADR 0040).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from meldwijzer.audit.checkpoints import CheckpointRefused, audit_checkpoint_create
from meldwijzer.audit.partitions import Month
from meldwijzer.audit.pruning import PrunePlan, PruneResult, audit_months_prune, prune_plan
from meldwijzer.audit.verification import audit_month_verify
from meldwijzer.privacy import events
from meldwijzer.privacy.models import FileKind, RetentionOverride
from meldwijzer.privacy.retention import RetentionPeriod, default_retention
from meldwijzer.privacy.retention_job import years_before

logger = logging.getLogger(__name__)

MINIMUM_YEARS = 5
"""NEN 7513: the access log is kept for at least five years."""


class PruneRefused(Exception):
    """Nothing was pruned; the message says why, in Dutch."""


def access_log_term() -> RetentionPeriod:
    """The term the access log is kept for: the table's, or the longest an organisation set for
    itself. Refused when the table's is below the minimum."""
    term = default_retention().periods[FileKind.ACCESS_LOG]
    if term.years < MINIMUM_YEARS:
        raise PruneRefused(
            f"De bewaartermijn van het toegangslogboek in de bewaartabel is {term.years} jaar; "
            f"NEN 7513 vraagt ten minste {MINIMUM_YEARS} jaar. Er is niets opgeschoond."
        )
    longest = (
        RetentionOverride.objects.filter(file_kind=FileKind.ACCESS_LOG, years__gt=term.years)
        .select_related("organisation")
        .order_by("-years", "set_at")
        .first()
    )
    if longest is None:
        return term
    return dataclasses.replace(
        term,
        years=longest.years,
        basis=longest.basis,
        source=f"Vastgesteld door {longest.organisation.name}",
        as_of=timezone.localdate(longest.set_at),
        overridden=True,
    )


def first_month_kept(term: RetentionPeriod, now: datetime.datetime) -> Month:
    """The month in which the term began: it and every later month stay."""
    return Month.of(years_before(now, term.years))


@dataclass
class PruneRun:
    term: RetentionPeriod
    plan: PrunePlan
    dry_run: bool
    result: PruneResult = field(default_factory=PruneResult)


def access_log_prune(*, dry_run: bool = False, now: datetime.datetime | None = None) -> PruneRun:
    """Remove the months of the access log older than its term (or, with `dry_run`, only say
    which). Raises `PruneRefused` when the term is too short, a month to go is not in order, or
    the log no longer matches its checkpoints."""
    term = access_log_term()
    keep_from = first_month_kept(term, now or timezone.now())
    run = PruneRun(term=term, plan=prune_plan(keep_from=keep_from), dry_run=dry_run)
    if dry_run or not run.plan.months:
        return run
    for month in run.plan.months:
        checked = audit_month_verify(month)
        if not checked.ok:
            raise PruneRefused(
                f"{month} is niet in orde en blijft bewaard: {' '.join(checked.problems)} "
                "Er is niets opgeschoond."
            )
    try:
        audit_checkpoint_create()
    except CheckpointRefused as error:
        raise PruneRefused(
            f"Het logboek past niet bij zijn controlepunten: {error} Er is niets opgeschoond."
        ) from error
    with transaction.atomic():
        run.result = audit_months_prune(keep_from=keep_from, months=run.plan.months)
        events.access_log_pruned(term=term, months=run.result.months)
    logger.info(
        "Toegangslogboek opgeschoond: %s regels uit %s keten(s), maanden %s tot en met %s.",
        run.result.rows,
        run.result.chains,
        run.result.months[0],
        run.result.months[-1],
    )
    return run
