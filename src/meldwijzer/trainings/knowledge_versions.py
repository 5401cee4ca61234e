"""The knowledge texts as they stand now, their history, and the redacteur's new versions.

A text's newest version is shown everywhere: the shipped file (`knowledge`, version 0) until a
redacteur saves a version 1, and so on. A save is always a new `KnowledgeVersion` row; no row is
ever changed, so the history shows who changed what, when and why. Every logged-in professional
may read the texts (they hold no client data); only a redacteur (`Permission.KNOWLEDGE_EDIT`)
writes, and each save is in the access log.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.safestring import SafeString

from meldwijzer.audit.models import Action, Subject
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Profession
from meldwijzer.organisations.roles import Permission
from meldwijzer.trainings import knowledge
from meldwijzer.trainings.events import trainings_event, trainings_refused
from meldwijzer.trainings.knowledge_markdown import markdown_render
from meldwijzer.trainings.models import KnowledgeVersion


class KnowledgeConflict(Exception):
    """Someone saved a newer version while this one was being written."""


@dataclass(frozen=True)
class KnowledgeText:
    """One version of a text."""

    key: str
    version: int
    title: str
    body: str
    as_of: datetime.date
    source: str
    note: str = ""
    edited_by: str = ""
    edited_at: datetime.datetime | None = None

    def html_at(self, heading_offset: int) -> SafeString:
        return _rendered(self.body, heading_offset)

    @property
    def html(self) -> SafeString:
        """On its own page: the text's `##` are the page's h2."""
        return self.html_at(0)

    @property
    def html_in_section(self) -> SafeString:
        """Under a section's h2: the text's `##` become h3."""
        return self.html_at(1)

    @property
    def group(self) -> str:
        return self.key.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split("/", 1)[1]


@lru_cache(maxsize=512)
def _rendered(body: str, heading_offset: int) -> SafeString:
    """A text is shown on every case page in its step, and changes only by a new version (a new
    body): each body is rendered once per process. The texts hold no client data."""
    return markdown_render(body, heading_offset=heading_offset)


def _from_shipped(text: knowledge.ShippedText) -> KnowledgeText:
    return KnowledgeText(
        key=text.key,
        version=0,
        title=text.title,
        body=text.body,
        as_of=text.as_of,
        source=text.source,
    )


def _from_row(row: KnowledgeVersion) -> KnowledgeText:
    user = row.edited_by
    return KnowledgeText(
        key=row.key,
        version=row.version,
        title=row.title,
        body=row.body,
        as_of=row.as_of,
        source=row.source,
        note=row.note,
        edited_by=user.get_full_name() or user.username,
        edited_at=row.edited_at,
    )


def _newest(keys: list[str]) -> QuerySet[KnowledgeVersion]:
    """The newest stored version of each of these texts (those a redacteur changed)."""
    newer = KnowledgeVersion.objects.filter(key=OuterRef("key"), version__gt=OuterRef("version"))
    return KnowledgeVersion.objects.filter(key__in=keys).exclude(Exists(newer))


def _or_shipped(keys: list[str], stored: dict[str, KnowledgeText]) -> dict[str, KnowledgeText]:
    """Each of these (shipped) texts in the order given: its stored version, else the shipped."""
    texts = knowledge.shipped()
    return {key: stored.get(key) or _from_shipped(texts[key]) for key in keys if key in texts}


def knowledge_current_many(keys: list[str]) -> dict[str, KnowledgeText]:
    """The newest version of each of these (shipped) texts, in one query, in the order given."""
    return _or_shipped(
        keys, {row.key: _from_row(row) for row in _newest(keys).select_related("edited_by")}
    )


_SHOWN = ("key", "version", "title", "body", "as_of", "source")
"""What a step's pages show of a text: not who changed it last, nor why."""


def _shown_many(keys: list[str]) -> dict[str, KnowledgeText]:
    """As `knowledge_current_many`, with only what a step's pages show of each text (`_SHOWN`)."""
    return _or_shipped(
        keys, {row["key"]: KnowledgeText(**row) for row in _newest(keys).values(*_SHOWN)}
    )


def knowledge_get(*, actor: Actor, key: str) -> KnowledgeText:
    """The newest version of a text; 'not found' (logged) for a key that does not exist."""
    found = knowledge_current_many([key])
    if key not in found:
        trainings_refused(actor=actor, subject=Subject.KNOWLEDGE, subject_id=key[:64])
    return found[key]


def knowledge_all() -> list[KnowledgeText]:
    """Every text as it stands now, the steps first (general text, then per beroepsgroep)."""
    return list(knowledge_current_many(list(knowledge.shipped())).values())


def knowledge_history(*, actor: Actor, key: str) -> list[KnowledgeText]:
    """Every version of a text, the newest first; the shipped text (version 0) last."""
    if key not in knowledge.shipped():
        trainings_refused(actor=actor, subject=Subject.KNOWLEDGE, subject_id=key[:64])
    rows = KnowledgeVersion.objects.filter(key=key).select_related("edited_by").order_by("-version")
    return [*(_from_row(row) for row in rows), _from_shipped(knowledge.shipped()[key])]


@dataclass(frozen=True)
class StepKnowledge:
    """What a step asks, for one beroepsgroep: the general text and the group's own addition."""

    number: int
    profession: str
    general: KnowledgeText
    addition: KnowledgeText | None

    @property
    def texts(self) -> list[KnowledgeText]:
        return [self.general, *([self.addition] if self.addition else [])]

    @property
    def as_of(self) -> datetime.date:
        """The newest 'stand' of the texts shown together."""
        return max(text.as_of for text in self.texts)

    @property
    def profession_label(self) -> str:
        return str(Profession(self.profession).label)


def step_knowledge_get(*, number: int, profession: str) -> StepKnowledge | None:
    """Step `number`'s knowledge for a beroepsgroep; None for a step or group that does not exist
    (the caller decides how to refuse). Its texts carry what the step's page and the case page
    show — title, text, stand, source and version —, not who changed them (`knowledge_history`)."""
    if number not in knowledge.STEP_NUMBERS or profession not in Profession.values:
        return None
    keys = knowledge.step_keys(number, profession)
    texts = _shown_many(keys)
    return StepKnowledge(
        number=number,
        profession=profession,
        general=texts[keys[0]],
        addition=texts[keys[1]] if len(keys) > 1 else None,
    )


def knowledge_save(
    *,
    actor: Actor,
    key: str,
    based_on: int,
    title: str,
    body: str,
    as_of: datetime.date,
    source: str,
    note: str,
) -> KnowledgeText:
    """Save a new version of a text, written on top of version `based_on`. When someone else saved
    a newer version in the meantime nothing is saved (`KnowledgeConflict`): the redacteur reads
    that version first. The values come checked from the form (`KnowledgeForm`)."""
    if not actor.can(Permission.KNOWLEDGE_EDIT):
        raise PermissionDenied("U mag de kennisteksten niet wijzigen.")
    if key not in knowledge.shipped():
        trainings_refused(
            actor=actor, subject=Subject.KNOWLEDGE, subject_id=key[:64], action=Action.UPDATE
        )
    try:
        with transaction.atomic():
            newest = (
                KnowledgeVersion.objects.filter(key=key)
                .order_by("-version")
                .values_list("version", flat=True)
                .first()
            )
            if (newest or 0) != based_on:
                raise KnowledgeConflict(key)
            row = KnowledgeVersion.objects.create(
                key=key,
                version=based_on + 1,
                title=title,
                body=body,
                as_of=as_of,
                source=source,
                note=note,
                edited_by=actor.user,
            )
            trainings_event(
                actor=actor,
                action=Action.UPDATE,
                subject=Subject.KNOWLEDGE,
                subject_id=key[:64],
                part=f"versie {row.version}",
            )
    except IntegrityError as error:  # the same version saved at the same moment
        raise KnowledgeConflict(key) from error
    return _from_row(row)
