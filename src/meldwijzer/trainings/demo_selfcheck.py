"""Demo data for the self-check: attempts over the past year by the case workers of the demo
region's organisations — the named demo professionals and any synthetic staff already loaded —,
each getting a little better over time, so the datalab has figures per beroepsgroep.

The answers are drawn with a fixed seed per person and scored by the same code as a real attempt
(`selfcheck.score`). No users are made here. One demo professional (`aandacht.opvang`) has no
attempt yet, to show the empty state. Safe to run twice: whoever has an attempt already is left
alone.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from meldwijzer.organisations.models import SECTOR_PROFESSION, Membership, Municipality
from meldwijzer.organisations.roles import CLIENT_DATA_ROLES
from meldwijzer.trainings import selfcheck
from meldwijzer.trainings.models import SelfCheckAttempt

REGION = "Noordoostpolder"
NOT_YET = frozenset({"aandacht.opvang"})
"""Demo professionals without an attempt: the empty state."""


def _answers(quiz: selfcheck.Quiz, rng: random.Random, skill: float) -> dict[str, list[str]]:
    """An answer per question: the right one with chance `skill`, otherwise a wrong one."""
    answers: dict[str, list[str]] = {}
    for question in quiz.questions:
        if rng.random() < skill:
            answers[question.id] = list(question.right)
        elif question.multiple:
            answers[question.id] = list(question.right[:-1]) or [question.right[0]]
        else:
            wrong = [key for key in question.keys if key not in question.right]
            answers[question.id] = [rng.choice(wrong)]
    return answers


def _taken_at(rng: random.Random, count: int, now: datetime.datetime) -> list[datetime.datetime]:
    """`count` moments over the past year, oldest first, on working days in office hours."""
    days = sorted(rng.sample(range(3, 360), count), reverse=True)
    moments = []
    for back in days:
        day = now - datetime.timedelta(days=back)
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        moments.append(day.replace(hour=rng.randint(8, 16), minute=rng.randint(0, 59), second=0))
    return moments


@transaction.atomic
def load() -> None:
    region = Municipality.objects.filter(name=REGION).first()
    if region is None:
        return
    memberships = (
        Membership.objects.filter(
            Q(organisation__municipality=region) | Q(organisation__works_in=region),
            is_active=True,
            user__is_active=True,
            role__in=CLIENT_DATA_ROLES,
        )
        .exclude(user__username__in=NOT_YET)
        .select_related("user", "organisation")
        .order_by("user__username", "organisation__name", "role")
        .distinct()
    )
    done = set(SelfCheckAttempt.objects.values_list("user_id", flat=True).distinct())
    now = timezone.now()
    seen: set[tuple[int, int]] = set()
    for membership in memberships:
        user, organisation = membership.user, membership.organisation
        if user.pk in done or (user.pk, organisation.pk) in seen:
            continue
        seen.add((user.pk, organisation.pk))
        profession = (
            membership.profession
            or SECTOR_PROFESSION.get(organisation.sector, "")
            or selfcheck.GENERAL
        )
        quiz = selfcheck.quiz_for(profession)
        if quiz is None:
            continue
        rng = random.Random(f"zelftoets:{user.username}:{organisation.name}")  # noqa: S311 - demo
        count = rng.randint(3, 6)
        skill = rng.uniform(0.5, 0.7)
        for number, taken_at in enumerate(_taken_at(rng, count, now)):
            scored = selfcheck.score(quiz, _answers(quiz, rng, min(0.95, skill + 0.08 * number)))
            attempt = SelfCheckAttempt.objects.create(
                user=user,
                organisation=organisation,
                profession=profession,
                quiz_version=quiz.version,
                score=scored.score,
                total=scored.total,
                answers=scored.answers,
            )
            SelfCheckAttempt.objects.filter(pk=attempt.pk).update(taken_at=taken_at)
