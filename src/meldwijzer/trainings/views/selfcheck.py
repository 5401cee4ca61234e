"""Pages of the self-check: choose the quiz for one's beroepsgroep, answer every question on one
page, see the score with an explanation per question, and one's own earlier attempts.

Taking the quiz needs case work (`Permission.CASE_WORK`). The results are the professional's own:
the list shows only the actor's attempts, and `selfcheck.attempt_get` refuses anyone else's with
'not found' (logged) — so those two pages are open to every role at the door and the rule lives
in one place."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.trainings import selfcheck
from meldwijzer.trainings.models import SelfCheckAttempt
from meldwijzer.trainings.selfcheck import Quiz, SelfCheckInputError

FIELD = "vraag-{}"
"""The name of a question's answer field (radio buttons or checkboxes)."""
RECENT = 3


def _start(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    actor = current_actor(request)
    attempts = list(selfcheck.attempts_mine(actor=actor)[: RECENT + 1])
    return render(
        request,
        "trainings/selfcheck/start.html",
        {
            "choices": selfcheck.profession_choices(),
            "chosen": selfcheck.profession_default(actor=actor),
            "error": error,
            "attempts": _attempt_rows(attempts[:RECENT]),
            "more_attempts": len(attempts) > RECENT,
            "general": selfcheck.quiz_for(selfcheck.GENERAL),
        },
        status=status,
    )


def _attempt_rows(attempts: Iterable[SelfCheckAttempt]) -> list[dict[str, Any]]:
    return [
        {"attempt": attempt, "profession": selfcheck.profession_label(attempt.profession)}
        for attempt in attempts
    ]


@actor_required(Permission.CASE_WORK)
def start_view(request: HttpRequest) -> HttpResponse:
    return _start(request)


def _rows(
    quiz: Quiz, answers: dict[str, list[str]], errors: dict[str, str]
) -> list[dict[str, Any]]:
    return [
        {
            "number": number,
            "question": question,
            "field": FIELD.format(question.id),
            "chosen": answers.get(question.id, []),
            "error": errors.get(question.id, ""),
        }
        for number, question in enumerate(quiz.questions, start=1)
    ]


@actor_required(Permission.CASE_WORK)
def take_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    data = request.POST if request.method == "POST" else request.GET
    profession = str(data.get("beroepsgroep", ""))
    quiz = selfcheck.quiz_for(profession)
    if quiz is None:
        return _start(request, error="Kies uw beroepsgroep.", status=400)
    answers: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    message = ""
    status = 200
    if request.method == "POST":
        answers = {
            question.id: request.POST.getlist(FIELD.format(question.id))
            for question in quiz.questions
        }
        try:
            attempt = selfcheck.attempt_record(
                actor=actor,
                profession=profession,
                quiz_version=str(request.POST.get("versie", "")),
                answers=answers,
            )
        except SelfCheckInputError as error:
            errors, message, status = error.errors, error.message, 400
        else:
            messages.success(request, "Uw antwoorden zijn opgeslagen. Alleen u ziet deze uitslag.")
            return redirect("trainings:selfcheck_attempt", attempt_id=attempt.pk)
    rows = _rows(quiz, answers, errors)
    return render(
        request,
        "trainings/selfcheck/take.html",
        {
            "quiz": quiz,
            "profession_label": selfcheck.profession_label(profession),
            "rows": rows,
            "message": message,
            "unanswered": [row for row in rows if row["error"]],
            "not_answered": selfcheck.NOT_ANSWERED,
        },
        status=status,
    )


@actor_required()
def attempts_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    return render(
        request,
        "trainings/selfcheck/attempts.html",
        {"attempts": _attempt_rows(selfcheck.attempts_mine(actor=actor))},
    )


@actor_required()
def attempt_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    actor = current_actor(request)
    attempt = selfcheck.attempt_get(actor=actor, attempt_id=attempt_id)
    current = selfcheck.quiz_for(attempt.profession)
    rows = [
        {
            "number": number,
            "text": item.get("text", ""),
            "correct": bool(item.get("correct")),
            "chosen": [
                label for key, label in item.get("options", []) if key in item.get("chosen", [])
            ],
            "right": [
                label for key, label in item.get("options", []) if key in item.get("right", [])
            ],
            "explanation": item.get("explanation", ""),
        }
        for number, item in enumerate(selfcheck.attempt_questions(attempt), start=1)
    ]
    return render(
        request,
        "trainings/selfcheck/result.html",
        {
            "attempt": attempt,
            "rows": rows,
            "profession_label": selfcheck.profession_label(attempt.profession),
            "current": current,
            "changed": current is not None and current.version != attempt.quiz_version,
            "may_take": actor.can(Permission.CASE_WORK),
        },
    )


urlpatterns: list[URLPattern] = [
    path("zelftoets/", start_view, name="selfcheck_start"),
    path("zelftoets/vragen/", take_view, name="selfcheck_take"),
    path("zelftoets/eerder/", attempts_view, name="selfcheck_attempts"),
    path("zelftoets/<int:attempt_id>/", attempt_view, name="selfcheck_attempt"),
]
