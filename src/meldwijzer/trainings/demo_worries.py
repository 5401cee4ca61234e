"""Worries shared in the demo region, in every state, built through the services.

Every text is made up and passes the check for identifying data (the services refuse it
otherwise). A worry whose question already exists is skipped, so loading twice changes nothing.
Afterwards the worries are moved back in time, spread over the last quarters, so the datalab's
count per quarter has something to show. E-mails are muted.

- the teacher (Basisschool De Polderpionier) asks the school's aandachtsfunctionaris: open;
- the pedagogisch medewerker (Kinderopvang Kleine Klaproos) asks hers: answered;
- the wijkcoach (Sociaal Wijkteam Emmeloord) asks his: answered, a follow-up question answered,
  closed;
- the kraamverzorgende (Thuiszorg Polderzorg) asks the consultation line: Noor Bakker of Veilig
  Thuis Flevoland answers;
- the teacher asked the school's aandachtsfunctionaris earlier: answered, and it became a case.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.cases.models import ClientKind
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.trainings import worries
from meldwijzer.trainings.models import Worry, WorryMessage, WorryRecipient


@dataclass(frozen=True)
class Story:
    asker: str
    recipient: str
    target_group: str
    question: str
    days_ago: int
    conversation: tuple[tuple[str, str], ...] = ()
    """(username, text) in order: the answerer's messages and the asker's follow-up questions."""
    close: bool = False
    to_case: str = ""
    """The client kind of the case the asker opened from the worry, or '' for none."""


STORIES: tuple[Story, ...] = (
    Story(
        asker="docent",
        recipient=WorryRecipient.OFFICER,
        target_group="kind",
        question="Een leerling uit groep 5 komt sinds een paar weken vaak zonder ontbijt en "
        "zonder jas naar school. Als ik vraag hoe het thuis gaat, haalt de leerling de "
        "schouders op en kijkt weg. Is dit al een signaal voor de meldcode, of vraag ik eerst "
        "door bij de ouders?",
        days_ago=2,
    ),
    Story(
        asker="pm.opvang",
        recipient=WorryRecipient.OFFICER,
        target_group="kind",
        question="Een peuter van ongeveer drie jaar schrikt heel erg als een volwassene de stem "
        "verheft en kruipt dan weg onder de tafel. De ouder die het kind brengt is vaak gehaast "
        "en kortaf. Hoe kan ik dit het beste vastleggen?",
        days_ago=40,
        conversation=(
            (
                "aandacht.opvang",
                "Goed dat je dit deelt. Schrijf op wat je ziet, met de dag erbij, zonder "
                "uitleg: wat deed het kind, wat ging eraan vooraf. Let ook op wat goed gaat. "
                "Zullen we volgende week samen kijken naar wat je hebt opgeschreven?",
            ),
        ),
    ),
    Story(
        asker="wijkcoach",
        recipient=WorryRecipient.OFFICER,
        target_group="oudere",
        question="Bij een huisbezoek aan een oudere man valt me op dat zijn zoon al het geld "
        "beheert en dat de man weinig eten in huis heeft. De man zegt dat alles goed gaat. "
        "Valt dit onder de meldcode?",
        days_ago=120,
        conversation=(
            (
                "aandacht.wijkteam",
                "Ja, financiële uitbuiting en verwaarlozing van ouderen vallen onder huiselijk "
                "geweld. Breng de signalen in kaart en bespreek ze met de man zelf, als dat "
                "veilig kan.",
            ),
            (
                "wijkcoach",
                "Dank je. Mag ik de zoon ook aanspreken op wat ik zie?",
            ),
            (
                "aandacht.wijkteam",
                "Dat kan, als de man dat goed vindt en het hem niet in gevaar brengt. Bereid het "
                "gesprek samen met mij voor.",
            ),
        ),
        close=True,
    ),
    Story(
        asker="kraamzorg",
        recipient=WorryRecipient.LINE,
        target_group="ouder",
        question="In een kraamgezin zie ik blauwe plekken op de bovenarm van de moeder. Ze zegt "
        "dat ze zich heeft gestoten. De partner is erbij als ik vragen stel. Ik twijfel of ik "
        "dit moet melden. Wat raadt u aan?",
        days_ago=75,
        conversation=(
            (
                "veiligthuis",
                "Probeer de moeder alleen te spreken, bijvoorbeeld tijdens de verzorging van de "
                "baby. Vraag open hoe het thuis gaat en of ze zich veilig voelt. Leg vast wat u "
                "ziet en wat ze zegt. Bij acute onveiligheid belt u ons direct; twijfelt u "
                "daarna nog, bel ons dan voor advies.",
            ),
        ),
    ),
    Story(
        asker="docent",
        recipient=WorryRecipient.OFFICER,
        target_group="kind",
        question="Een leerling uit groep 7 vertelt in de kring dat het thuis vaak ruzie is en "
        "dat er dan dingen kapot gaan. De leerling slaapt slecht en is snel boos. Wat is een "
        "goede volgende stap?",
        days_ago=200,
        conversation=(
            (
                "aandacht.school",
                "Dit zijn signalen van mogelijk huiselijk geweld. Open een casus in de meldcode "
                "en leg vast wat de leerling zei, met datum en in de eigen woorden van de "
                "leerling. Daarna plannen we samen een gesprek met de ouders.",
            ),
        ),
        to_case=ClientKind.CHILD,
    ),
)


def _actor(username: str) -> Actor:
    actor = actor_for_user(user=User.objects.get(username=username))
    assert actor is not None, f"demo user {username} has no organisation"
    return actor


def _play(story: Story) -> None:
    worry = worries.worry_share(
        actor=_actor(story.asker),
        recipient=story.recipient,
        question=story.question,
        target_group=story.target_group,
    )
    for username, text in story.conversation:
        worries.worry_message(actor=_actor(username), worry_id=worry.pk, body=text)
    if story.to_case:
        worries.worry_to_case(actor=_actor(story.asker), worry_id=worry.pk, client=story.to_case)
    if story.close:
        worries.worry_close(actor=_actor(story.asker), worry_id=worry.pk)
    _move_back(worry, days=story.days_ago)


def _move_back(worry: Worry, *, days: int) -> None:
    """The worry and its messages as if they happened `days` ago, an hour or so apart."""
    start = timezone.now() - datetime.timedelta(days=days)
    Worry.objects.filter(pk=worry.pk).update(created_at=start)
    last = start
    for number, message in enumerate(WorryMessage.objects.filter(worry=worry).order_by("pk")):
        last = start + datetime.timedelta(hours=3 * (number + 1))
        WorryMessage.objects.filter(pk=message.pk).update(created_at=last)
    if worry.answered_at is not None or Worry.objects.get(pk=worry.pk).answered_at is not None:
        Worry.objects.filter(pk=worry.pk).update(answered_at=last)


def load() -> None:
    with worries.mail_muted():
        for story in STORIES:
            if Worry.objects.filter(question=story.question).exists():
                continue
            _play(story)
