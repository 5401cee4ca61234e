"""The follow-up demo: plans in every state in Noordoostpolder, built through the services.

Each family here is made up (surnames such as 'Proefhuis' and 'Oefenaar' make that plain). A
dossier is played through the meldcode up to afweging 5 = ja and closed with follow-up agreements
(`cases.services.case_decide`), a coordination file is closed by its casusregisseur
(`coordination.closing.file_close`); contacts, changes and ends of plans go through
`followups.services`. Afterwards the rows are moved back in time, so that a plan can have started
months ago, have contacts held, one due this week and one overdue. E-mails about 'niet veilig'
are muted. A story whose dossier (or file) title already exists is skipped, so loading twice
changes nothing.

- 'Leerling groep 4, onrust thuis na scheiding' (school): Ilse Smit (JGZ, GGD) follows Jayden on
  the mother's consent; two contacts safe, one some ten days overdue, one moved to this week. The
  kinderopvang has since opened a dossier about his little sister: a signal on the plan.
- 'Leerling groep 6, conflicten thuis' (school): the teacher follows Bo; worries at the last
  contact brought the next one forward.
- 'Moeder na partnergeweld, Luttelgeest' (coordination file of Anouk Kramer, closed): the
  wijkcoach follows the mother.
- 'Gezin met jonge kinderen, opvoedstress' (wijkteam): completed after 18 months.
- 'Patiënte na scheiding, spanningen thuis' (huisarts): extended by six months.
- 'Jonge moeder met baby, spanningen met partner' (Veilig Thuis): the JGZ nurse found it not safe;
  a new dossier at the GGD names the old one, and Noor Bakker has an alert to act on.
- 'Patiënt met drankgebruik en ruzies thuis' (huisarts): the wijkcoach found it not safe; the
  huisarts acknowledged the alert with what he did.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.cases import services as case_services
from meldwijzer.cases.entries import (
    ChildCheckForm,
    ConsultationForm,
    ConversationForm,
    EntryForm,
    SignalForm,
)
from meldwijzer.cases.extensions import FollowupAgreement
from meldwijzer.cases.models import Case, Entry, Outcome, Person, PhaseChange
from meldwijzer.cases.workflow import Phase
from meldwijzer.coordination import closing
from meldwijzer.coordination import services as coordination_services
from meldwijzer.coordination.models import CoordinationFile
from meldwijzer.coordination.selectors import file_access_for
from meldwijzer.coordination.services import FamilyMemberData
from meldwijzer.followups import matching, schedules, services
from meldwijzer.followups.models import (
    Alert,
    DecisionKind,
    FollowupContact,
    FollowupPlan,
    FollowupSignal,
    PlanDecision,
    PlannedContact,
    Safety,
)
from meldwijzer.followups.selectors import plan_access_for
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import GroundKind, SharingGround

SCHOOL_JGZ = "Leerling groep 4, onrust thuis na scheiding"
SCHOOL_WORRIES = "Leerling groep 6, conflicten thuis"
FILE_TITLE = "Moeder na partnergeweld, Luttelgeest"
COMPLETED = "Gezin met jonge kinderen, opvoedstress"
EXTENDED = "Patiënte na scheiding, spanningen thuis"
UNSAFE_OPEN = "Jonge moeder met baby, spanningen met partner"
UNSAFE_DONE = "Patiënt met drankgebruik en ruzies thuis"
SIGNAL_CASE = "Peuter groep Kikkers, vaak honger en moe"
SIGNAL_CHILD = "Lotte Proefhuis"

DEMO_TITLES = (SCHOOL_JGZ, SCHOOL_WORRIES, COMPLETED, EXTENDED, UNSAFE_OPEN, UNSAFE_DONE)
"""The dossiers closed with follow-up in this demo (one plan each; the file adds one more)."""


# --- people ------------------------------------------------------------------------------------


def _test_bsn(seed: str) -> str:
    """A BSN from the range reserved for tests (999990000 and up) that passes the elfproef."""
    base = 99999500 + sum(ord(ch) for ch in seed) % 499
    for last in range(10):
        bsn = f"{base}{last}"
        if case_services.bsn_valid(bsn):
            return bsn
    return _test_bsn(seed + "x")  # pragma: no cover - some digit always fits


def _born(years: int, months: int = 0) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=years * 365 + months * 30 + 17)


def _child(name: str, years: int, months: int = 0) -> dict[str, Any]:
    return {
        "kind": "child",
        "name": name,
        "date_of_birth": _born(years, months),
        "bsn": _test_bsn(name),
        "street_address": "Bedachtpad 12",
        "postcode": "8302 ZK",
        "place": "Emmeloord",
    }


def _adult(name: str, relation: str, kind: str = "parent") -> dict[str, Any]:
    return {
        "kind": kind,
        "name": name,
        "relation": relation,
        "authority": "ja" if kind == "parent" else "",
        "phone": "06-00000000",
    }


def _actor(username: str) -> Actor:
    actor = actor_for_user(user=User.objects.get(username=username))
    assert actor is not None, f"demo account {username} has no organisation"
    return actor


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, 0), tzinfo=timezone.get_current_timezone()
    )


def _ago(days: int = 0, months: int = 0) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days) - _months(months)


def _months(months: int) -> relativedelta:
    return relativedelta(months=months)


# --- a dossier up to closing with follow-up ------------------------------------------------------


@dataclass(frozen=True)
class Closing:
    """A dossier played to afweging 5 = ja and closed with follow-up."""

    owner: str
    title: str
    profession: str
    persons: list[dict[str, Any]]
    signal: str
    help: str
    follower: str
    how: str
    started: datetime.date
    """The day the dossier closed and the plan started."""
    client: str = "kind"
    schedule: str = ""
    months: int = 18
    consent_by: str = ""
    """Who gave consent, when the follower works for another organisation."""
    extra: dict[str, Any] = field(default_factory=dict)


def _entry(actor: Actor, case: Case, form: type[EntryForm], data: dict[str, Any]) -> None:
    case_services.case_record_entry(
        actor=actor, case=case, expected_version=case.version, kind=form.kind, data=data
    )


def _close(story: Closing) -> FollowupPlan | None:
    """Play the dossier, close it with follow-up, and move it back to `story.started`."""
    actor = _actor(story.owner)
    if Case.objects.filter(organisation=actor.organisation, title=story.title).exists():
        return None
    opened = story.started - datetime.timedelta(days=110)
    case = case_services.case_open(
        actor=actor, title=story.title, profession=story.profession, client=story.client
    )
    for person in story.persons:
        case_services.case_record_person(
            actor=actor, case=case, expected_version=case.version, **person
        )
    if story.client == "volwassene":
        children = [p for p in story.persons if p["kind"] == "child"]
        _entry(actor, case, ChildCheckForm, {
            "has_children": "ja" if children else "nee", "number": len(children) or None,
        })  # fmt: skip
    _entry(actor, case, SignalForm, {
        "date": opened.isoformat(), "category": "emotioneel", "source": "eigen",
        "facts": story.signal,
    })  # fmt: skip

    def move(target: str) -> None:
        case_services.case_move(
            actor=actor, case=case, expected_version=case.version, target=target
        )

    def weigh(question: str, answer: str, reasoning: str) -> None:
        case_services.case_record_weighing(
            actor=actor, case=case, expected_version=case.version, question=question,
            answer=answer, reasoning=reasoning,
        )  # fmt: skip

    move(Phase.CONSULTATION)
    _entry(actor, case, ConsultationForm, {
        "date": (opened + datetime.timedelta(days=2)).isoformat(),
        "consulted": "aandachtsfunctionaris",
        "advice": "Bespreek wat u ziet met de ouder en bied hulp aan via het wijkteam.",
    })  # fmt: skip
    move(Phase.CONVERSATION)
    _entry(actor, case, ConversationForm, {
        "date": (opened + datetime.timedelta(days=5)).isoformat(),
        "participants": "Ouder en professional",
        "said": "Wat we zagen en hoe het thuis gaat.",
        "reaction": "Herkent de spanningen en wil hulp.",
        "agreements": story.help,
        "reflection": ["luisteren", "transparant"],
    })  # fmt: skip
    move(Phase.WEIGHING)
    weigh("afweging_1", "ja", "De signalen en het gesprek wijzen op een vermoeden.")
    weigh("afweging_2", "nee", "Geen acuut gevaar en geen structureel patroon.")
    move(Phase.DECIDING)
    weigh("afweging_3", "ja", "Met het wijkteam is passende hulp te organiseren.")
    weigh("afweging_4", "ja", "Het gezin doet mee en de eerste afspraak staat.")
    case_services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.HELP,
        agreements=story.help, review_date=timezone.localdate() + datetime.timedelta(days=28),
    )  # fmt: skip
    weigh("afweging_5", "ja", "De hulp is afgerond en het gaat thuis aantoonbaar beter.")
    follower = _actor(story.follower)
    ground_id = None
    if follower.organisation.pk != actor.organisation.pk:
        ground_id = privacy_services.sharing_ground_record(
            actor=actor,
            client_pseudonym=case.client_pseudonym,
            kind=GroundKind.CONSENT,
            what="Het vervolgplan: de afspraken, de contacten en de namen van het gezin",
            with_whom=f"{follower.user.get_full_name()}, {follower.organisation.name}",
            purpose="De veiligheid van het gezin volgen na afsluiten",
            given_by=story.consent_by,
        ).pk
    until = schedules.months_after(timezone.localdate(), story.months)
    case_services.case_decide(
        actor=actor, case=case, expected_version=case.version,
        outcome=Outcome.CLOSE_FOLLOWUP,
        followup=FollowupAgreement(
            follower_id=follower.user.pk, organisation_id=follower.organisation.pk,
            how=story.how, until=until, schedule=story.schedule, ground_id=ground_id,
        ),
    )  # fmt: skip
    _case_backdate(case.pk, opened=opened, closed=story.started)
    plan = FollowupPlan.objects.get(case=case)
    _plan_backdate(plan, story.started)
    return plan


def _case_backdate(case_id: int, *, opened: datetime.date, closed: datetime.date) -> None:
    """Spread the dossier's rows between the day it opened and the day it closed."""
    rows: list[tuple[type[Person | Entry | PhaseChange], int, datetime.datetime]] = []
    for model in (Person, Entry, PhaseChange):
        rows += [
            (model, pk, at)
            for pk, at in model.objects.filter(case_id=case_id).values_list("pk", "created_at")
        ]
    rows.sort(key=lambda row: row[2])
    start, end = _at(opened, 9), _at(closed, 15)
    for index, (model, pk, _) in enumerate(rows):
        model.objects.filter(pk=pk).update(
            created_at=start + (end - start) * index / max(len(rows), 1)
        )
    Case.objects.filter(pk=case_id).update(
        opened_at=start, closed_at=end, updated_at=end, phase_entered_at=end
    )
    SharingGround.objects.filter(
        client_pseudonym=Case.objects.get(pk=case_id).client_pseudonym
    ).update(recorded_at=end)


def _plan_backdate(plan: FollowupPlan, started: datetime.date) -> None:
    """Let the plan have started on `started`: its end and its planned contacts move along."""
    span = relativedelta(plan.ends_on, plan.starts_on)
    months = span.years * 12 + span.months
    ends_on = schedules.months_after(started, months)
    schedule = schedules.schedules().get(plan.schedule)
    dates = schedules.plan_dates(schedule, starts_on=started, ends_on=ends_on)
    planned = list(PlannedContact.objects.filter(plan=plan).order_by("number"))
    for row, date in zip(planned, dates, strict=False):
        PlannedContact.objects.filter(pk=row.pk).update(
            due_on=date.due_on, scheduled_on=date.due_on
        )
    FollowupPlan.objects.filter(pk=plan.pk).update(
        starts_on=started, ends_on=ends_on, created_at=_at(started, 15), updated_at=_at(started, 15)
    )
    plan.refresh_from_db()


# --- contacts and decisions ---------------------------------------------------------------------


def _contact(
    username: str, plan: FollowupPlan, *, number: int | None, held_on: datetime.date,
    safety: str, summary: str, note: str, mode: str = "huisbezoek",
) -> FollowupContact:  # fmt: skip
    """Record a contact (for the planned contact `number`) and move its rows to `held_on`."""
    actor = _actor(username)
    plan.refresh_from_db()
    planned_id = None
    if number is not None:
        planned_id = PlannedContact.objects.get(plan=plan, number=number).pk
    contact = services.contact_record(
        actor=actor,
        access=plan_access_for(actor, plan),
        data=services.ContactData(
            held_on=held_on, mode=mode, summary=summary, safety=safety, safety_note=note,
            planned_id=planned_id,
        ),
    )  # fmt: skip
    FollowupContact.objects.filter(pk=contact.pk).update(recorded_at=_at(held_on, 16))
    return contact


def _decided_on(plan: FollowupPlan, day: datetime.date) -> None:
    """The plan's decisions of today, and its end, on `day`."""
    today = timezone.localdate()
    PlanDecision.objects.filter(plan=plan, decided_at__date__gte=today).update(
        decided_at=_at(day, 17)
    )
    FollowupPlan.objects.filter(pk=plan.pk, ended_at__isnull=False).update(
        ended_at=_at(day, 17), updated_at=_at(day, 17)
    )


def _safe_contacts(
    username: str, plan: FollowupPlan, numbers: range, summary: str, mode: str = "huisbezoek"
) -> None:
    for planned in PlannedContact.objects.filter(plan=plan, number__in=list(numbers)):
        _contact(
            username, plan, number=planned.number, held_on=planned.due_on, safety=Safety.SAFE,
            summary=summary, note="De afspraken van het veiligheidsplan werken.", mode=mode,
        )  # fmt: skip


# --- the stories ---------------------------------------------------------------------------------


def _jgz_follows_the_school_child() -> None:
    """(a) JGZ follows a pupil on consent; (h) a new dossier at the kinderopvang about his sister."""
    plan = _close(
        Closing(
            owner="docent",
            title=SCHOOL_JGZ,
            profession="onderwijs",
            persons=[
                _child("Jayden Proefhuis", 8),
                _child(SIGNAL_CHILD, 2, 6),
                _adult("Esther Proefhuis", "moeder"),
            ],
            signal="Jayden is sinds de scheiding vaak moe en boos; hij vertelt dat zijn moeder "
            "'s avonds veel huilt.",
            help="Opvoedondersteuning voor moeder via het wijkteam; Jayden bij de schoolmaatschappelijk "
            "werker.",
            follower="jgz",
            how="De jeugdverpleegkundige ziet Jayden en moeder eerst maandelijks, thuis of op het "
            "consultatiebureau, daarna minder. Moeder belt de JGZ als het thuis weer spant.",
            started=_ago(days=10, months=3),
            consent_by="Esther Proefhuis (moeder)",
        )
    )
    if plan is None:
        return
    _safe_contacts(
        "jgz", plan, range(1, 3),
        "Moeder heeft een vaste weekstructuur; Jayden slaapt beter en gaat graag naar school.",
    )  # fmt: skip
    # Contact 3 is ten days overdue; contact 4 moves to this week at the mother's request.
    actor = _actor("jgz")
    plan.refresh_from_db()
    today = timezone.localdate()
    services.planned_move(
        actor=actor,
        access=plan_access_for(actor, plan),
        planned_id=PlannedContact.objects.get(plan=plan, number=4).pk,
        due_on=min(today + datetime.timedelta(days=2), schedules.week_of(today)[1]),
        reason="Moeder vroeg het bezoek te combineren met het consult van Lotte.",
    )
    # The kinderopvang opens a dossier about the little sister: recognised by the keyed hash.
    opvang = _actor("pm.opvang")
    if Case.objects.filter(organisation=opvang.organisation, title=SIGNAL_CASE).exists():
        return
    case = case_services.case_open(
        actor=opvang, title=SIGNAL_CASE, profession="kinderopvang", client="kind",
        name=SIGNAL_CHILD, bsn=_test_bsn(SIGNAL_CHILD),
    )  # fmt: skip
    for person in case.persons.all():
        matching.person_recorded(person)
    opened = _at(today - datetime.timedelta(days=6), 11)
    Case.objects.filter(pk=case.pk).update(
        opened_at=opened, updated_at=opened, phase_entered_at=opened
    )
    for model in (Person, PhaseChange):  # back-dated rows, not a change of phase
        model.objects.filter(case=case).update(created_at=opened)
    FollowupSignal.objects.filter(case=case).update(created_at=opened)


def _teacher_brings_forward() -> None:
    """(b) Worries at a contact bring the next one forward."""
    plan = _close(
        Closing(
            owner="docent",
            title=SCHOOL_WORRIES,
            profession="onderwijs",
            persons=[_child("Bo Schetsma", 10), _adult("Wouter Schetsma", "vader")],
            signal="Bo komt met een blauwe plek op school en zegt dat haar vader 'ontplofte'.",
            help="Vader volgt een training omgaan met boosheid via het wijkteam.",
            follower="docent",
            how="Maandelijks een gesprek met vader op school, daarna elke twee en drie maanden; "
            "de juf let dagelijks op Bo en belt vader bij zorgen.",
            started=_ago(days=5, months=2),
        )
    )
    if plan is None:
        return
    _safe_contacts("docent", plan, range(1, 2), "Vader en Bo zijn rustiger; de training loopt.")
    _contact(
        "docent", plan, number=2, held_on=_ago(days=5), safety=Safety.WORRIES,
        summary="Vader is zijn werk kwijt en zit thuis; Bo is weer stil in de klas.",
        note="Geen geweld gezien of gehoord, wel meer spanning: over twee weken opnieuw.",
        mode="partner",
    )  # fmt: skip


def _file_closed_with_followup() -> None:
    """(c) A coordination file closed by its casusregisseur; the wijkcoach follows the mother."""
    if CoordinationFile.objects.filter(title=FILE_TITLE).exists():
        return
    regisseur = _actor("regisseur")
    file = coordination_services.file_open(
        actor=regisseur,
        title=FILE_TITLE,
        family=[
            FamilyMemberData("ouder", "Marloes Denkbeeld", "moeder", phone="06 0000 0301"),
            FamilyMemberData("kind", "Tim Denkbeeld", "zoon", _born(15)),
            FamilyMemberData("volwassene", "Rob Denkbeeld", "ex-partner, woont elders"),
        ],
        role_description="Ik ben uw vaste aanspreekpunt tot de hulp is afgerond.",
    )
    coordinator = _actor("wijkcoach")
    coordination_services.team_member_add(
        actor=regisseur, file=file, user=coordinator.user, organisation=coordinator.organisation,
        role_description="Ik kom bij u thuis en help met rust en overzicht.",
    )  # fmt: skip
    file.refresh_from_db()
    started = _ago(days=15, months=1)
    closing.file_close(
        actor=regisseur,
        access=file_access_for(regisseur, file),
        expected_version=file.version,
        followup=FollowupAgreement(
            follower_id=coordinator.user.pk,
            organisation_id=coordinator.organisation.pk,
            how="De wijkcoach belt moeder elke maand en komt eens per kwartaal langs; het "
            "contactverbod met de ex-partner blijft het ankerpunt van het veiligheidsplan.",
            until=schedules.months_after(timezone.localdate(), 18),
        ),
    )
    CoordinationFile.objects.filter(pk=file.pk).update(
        opened_at=_at(started - datetime.timedelta(days=200)), closed_at=_at(started, 15)
    )
    plan = FollowupPlan.objects.get(file=file)
    _plan_backdate(plan, started)
    _safe_contacts(
        "wijkcoach", plan, range(1, 2),
        "Moeder heeft werk gevonden; Tim gaat weer naar de voetbalclub.", mode="telefoon",
    )  # fmt: skip


def _completed_after_eighteen_months() -> None:
    """(d) Every contact safe; completed at the end of eighteen months."""
    plan = _close(
        Closing(
            owner="wijkcoach",
            title=COMPLETED,
            profession="sociaal_werk_jeugd",
            persons=[_child("Nina Oefenaar", 4), _adult("Kim Oefenaar", "moeder")],
            signal="Moeder vertelt dat ze Nina soms hard vastpakt als ze niet luistert.",
            help="Video-hometraining en een oppasregeling in het netwerk.",
            follower="wijkcoach",
            how="Huisbezoek volgens het standaardschema; moeder belt bij opvoedstress.",
            started=_ago(days=12, months=18),
        )
    )
    if plan is None:
        return
    _safe_contacts(
        "wijkcoach", plan, range(1, 10),
        "Moeder past toe wat ze leerde; oma past twee middagen per week op.",
    )  # fmt: skip
    actor = _actor("wijkcoach")
    plan.refresh_from_db()
    services.plan_end(
        actor=actor, access=plan_access_for(actor, plan), expected_version=plan.version,
        kind=DecisionKind.COMPLETED,
        note="Achttien maanden veilig; moeder weet de weg naar het wijkteam.",
    )  # fmt: skip
    _decided_on(plan, plan.ends_on)


def _extended() -> None:
    """(e) A plan extended by six months near its end."""
    plan = _close(
        Closing(
            owner="huisarts",
            title=EXTENDED,
            profession="artsen",
            client="volwassene",
            persons=[
                _adult("Yvonne Bedenkers", "cliënte", kind="client"),
                _child("Luuk Bedenkers", 7),
            ],
            signal="Patiënte vertelt over dreigende berichten van haar ex-partner en slaapt slecht.",
            help="Gesprekken bij het maatschappelijk werk; een contactregeling via de rechter.",
            follower="huisarts",
            how="Elke twee maanden op het spreekuur, daarna elk kwartaal; bij nieuwe dreiging "
            "belt patiënte de praktijk of Veilig Thuis.",
            started=_ago(days=-9, months=12),
            schedule="licht_12",
            months=12,
        )
    )
    if plan is None:
        return
    _safe_contacts(
        "huisarts", plan, range(1, 5), "Patiënte slaapt beter; de omgang verloopt via de opvang.",
        mode="spreekuur",
    )  # fmt: skip
    actor = _actor("huisarts")
    plan.refresh_from_db()
    services.plan_end(
        actor=actor, access=plan_access_for(actor, plan), expected_version=plan.version,
        kind=DecisionKind.EXTENDED,
        note="De ex-partner komt over twee maanden terug in de regio; zes maanden langer volgen.",
        extend_until=schedules.months_after(plan.ends_on, 6),
    )  # fmt: skip
    _decided_on(plan, _ago(days=3))


def _unsafe(
    story: Closing, follower: str, held_on: datetime.date, note: str, numbers: range
) -> FollowupPlan | None:
    plan = _close(story)
    if plan is None:
        return None
    _safe_contacts(follower, plan, numbers, "Het gaat goed; de afspraken worden nagekomen.")
    with services.alerts_muted():
        contact = _contact(
            follower, plan, number=None, held_on=held_on, safety=Safety.UNSAFE,
            summary="Onverwacht bezoek na een telefoontje van de ouder.", note=note,
        )  # fmt: skip
    contact.refresh_from_db()
    _decided_on(plan, held_on)
    Alert.objects.filter(contact=contact).update(created_at=_at(held_on, 17))
    if contact.reopened_case_id and contact.reopened_case_id != plan.case_id:
        _case_backdate(contact.reopened_case_id, opened=held_on, closed=held_on)
        Case.objects.filter(pk=contact.reopened_case_id).update(closed_at=None)
    return plan


def _unsafe_alert_open() -> None:
    """(f) 'Niet veilig' at the JGZ: a new GGD dossier names Veilig Thuis' closed one; Noor Bakker
    has an alert to act on."""
    _unsafe(
        Closing(
            owner="veiligthuis",
            title=UNSAFE_OPEN,
            profession="algemeen",
            persons=[
                _child("Milan Ontwerp", 0, 7),
                _adult("Iris Ontwerp", "moeder"),
                _adult("Bas Ontwerp", "vader"),
            ],
            signal="Moeder belde na een ruzie waarbij de baby op haar arm zat.",
            help="Vader volgt agressieregulatie; moeder en baby bij de JGZ.",
            follower="jgz",
            how="De jeugdverpleegkundige ziet Milan op het consultatiebureau en thuis; moeder "
            "belt Veilig Thuis als vader dreigt.",
            started=_ago(days=-3, months=5),
            consent_by="Iris Ontwerp (moeder)",
        ),
        "jgz",
        _ago(days=4),
        "Vader is weer thuis en dreigde moeder in bijzijn van de baby; het veiligheidsplan "
        "werkt niet meer.",
        range(1, 4),
    )


def _unsafe_alert_acknowledged() -> None:
    """(g) 'Niet veilig' at the wijkteam; the huisarts acknowledged the alert."""
    plan = _unsafe(
        Closing(
            owner="huisarts",
            title=UNSAFE_DONE,
            profession="artsen",
            client="volwassene",
            persons=[
                _adult("Frank Verzinsel", "cliënt", kind="client"),
                _adult("Anja Verzinsel", "partner van cliënt", kind="other"),
                _child("Ravi Verzinsel", 12),
            ],
            signal="Patiënt vertelt dat hij 's avonds te veel drinkt en dan schreeuwt.",
            help="Verslavingszorg en relatiegesprekken via het wijkteam.",
            follower="wijkcoach",
            how="De wijkcoach komt maandelijks langs, daarna minder; de huisarts ziet patiënt "
            "elk kwartaal.",
            started=_ago(days=25, months=6),
            consent_by="Frank Verzinsel (cliënt) en Anja Verzinsel (partner)",
        ),
        "wijkcoach",
        _ago(days=21),
        "Patiënt drinkt weer; Ravi vertelde dat hij zich opsluit als zijn vader thuiskomt.",
        range(1, 5),
    )
    if plan is None:
        return
    alert = Alert.objects.get(plan=plan)
    services.alert_acknowledge(
        actor=_actor("huisarts"),
        alert_id=alert.pk,
        note="Patiënt en partner gesproken; met Veilig Thuis overlegd en gemeld.",
    )
    Alert.objects.filter(pk=alert.pk).update(acknowledged_at=_at(_ago(days=20), 12))


STORIES: list[Callable[[], None]] = [
    _jgz_follows_the_school_child,
    _teacher_brings_forward,
    _file_closed_with_followup,
    _completed_after_eighteen_months,
    _extended,
    _unsafe_alert_open,
    _unsafe_alert_acknowledged,
]

NEW_CASES = len(DEMO_TITLES) + 3
"""The dossiers this demo adds: one per closing story, the kinderopvang's and the two opened
because it was not safe."""


def load() -> None:
    """Add the follow-up plans to the demo."""
    for story in STORIES:
        story()
