"""Demo legal holds: a closed case of the Sociaal Wijkteam under an active hold (a complaint in
progress), and a closed case of the kinderopvang whose hold was lifted, placed through the
services by each organisation's aandachtsfunctionaris. Loading twice changes nothing."""

from __future__ import annotations

from meldwijzer.accounts.models import User
from meldwijzer.cases.models import Case
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import LegalHold, ResourceKind

# (aandachtsfunctionaris, case title, reason, reason for lifting or "" for a hold still active)
HOLDS = [
    (
        "aandacht.wijkteam",
        "Moeder met drie kinderen, partnergeweld",
        "Klachtprocedure 2026-07 van de cliënte loopt; dossier bewaren tot de uitspraak.",
        "",
    ),
    (
        "aandacht.opvang",
        "Baby groep Lieveheersbeestjes",
        "Verzoek van de Inspectie om het dossier te bewaren tijdens het onderzoek.",
        "Onderzoek van de Inspectie afgerond; de gewone bewaartermijn geldt weer.",
    ),
]


def load() -> None:
    if LegalHold.objects.exists():
        return
    for username, title, reason, lift_reason in HOLDS:
        actor = actor_for_user(user=User.objects.get(username=username))
        case = Case.objects.filter(title=title).first()
        if actor is None or case is None:  # pragma: no cover - the demo cases provide them
            continue
        hold = privacy_services.legal_hold_place(
            actor=actor, resource_kind=ResourceKind.CASE, resource_id=case.pk, reason=reason
        )
        if lift_reason:
            privacy_services.legal_hold_lift(actor=actor, hold=hold, reason=lift_reason)
