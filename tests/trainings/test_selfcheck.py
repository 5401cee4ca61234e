"""The self-check: scoring, recording an attempt, the pages, and the privacy of the results."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action, Subject
from meldwijzer.organisations.middleware import SESSION_ORGANISATION_KEY
from meldwijzer.organisations.models import Membership, Organisation, Sector
from meldwijzer.organisations.roles import Role
from meldwijzer.trainings import selfcheck
from meldwijzer.trainings.models import SelfCheckAttempt
from meldwijzer.trainings.selfcheck import Quiz, SelfCheckInputError
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of
from tests.factories import MembershipFactory, OrganisationFactory

TAKE = reverse("trainings:selfcheck_take")


def _quiz(profession: str = "onderwijs") -> Quiz:
    quiz = selfcheck.quiz_for(profession)
    assert quiz is not None
    return quiz


def _all_right(quiz: Quiz) -> dict[str, list[str]]:
    return {question.id: list(question.right) for question in quiz.questions}


def _one_wrong(quiz: Quiz) -> dict[str, list[str]]:
    """Every answer right but the first question's."""
    answers = _all_right(quiz)
    first = quiz.questions[0]
    answers[first.id] = [next(key for key in first.keys if key not in first.right)]
    return answers


def _post_data(quiz: Quiz, answers: dict[str, list[str]]) -> dict[str, object]:
    data: dict[str, object] = {"beroepsgroep": quiz.profession, "versie": quiz.version}
    data.update({f"vraag-{qid}": keys for qid, keys in answers.items()})
    return data


# --- scoring (no database) -------------------------------------------------------------------


def test_all_right_scores_every_question():
    quiz = _quiz()
    scored = selfcheck.score(quiz, _all_right(quiz))
    assert (scored.score, scored.total) == (len(quiz.questions), len(quiz.questions))
    assert scored.answers["quiz"] == quiz.version
    assert all(row["correct"] for row in scored.answers["questions"])


def test_one_wrong_answer_costs_one_point_and_keeps_what_was_asked():
    quiz = _quiz()
    scored = selfcheck.score(quiz, _one_wrong(quiz))
    assert scored.score == len(quiz.questions) - 1
    first = scored.answers["questions"][0]
    assert first["correct"] is False
    assert first["text"] == quiz.questions[0].text
    assert first["explanation"] == quiz.questions[0].explanation
    assert first["right"] == list(quiz.questions[0].right)


def test_a_multiple_answer_question_is_right_only_with_exactly_the_right_options():
    quiz = _quiz("algemeen")
    question = next(q for q in quiz.questions if q.multiple)
    wrong_key = next(key for key in question.keys if key not in question.right)
    for chosen, correct in (
        (list(question.right), True),
        (list(question.right[:-1]), False),
        ([*question.right, wrong_key], False),
    ):
        answers = _all_right(quiz) | {question.id: chosen}
        row = next(
            r for r in selfcheck.score(quiz, answers).answers["questions"] if r["id"] == question.id
        )
        assert row["correct"] is correct, chosen


def test_unanswered_questions_are_named_by_number():
    quiz = _quiz()
    answers = _all_right(quiz)
    del answers[quiz.questions[2].id]
    answers[quiz.questions[6].id] = []
    with pytest.raises(SelfCheckInputError) as raised:
        selfcheck.score(quiz, answers)
    assert raised.value.message == "Vragen 3 en 7 zijn nog niet beantwoord."
    assert set(raised.value.errors) == {quiz.questions[2].id, quiz.questions[6].id}


def test_an_unknown_option_or_two_options_for_one_right_answer_are_refused():
    quiz = _quiz()
    single = next(q for q in quiz.questions if not q.multiple)
    for chosen, problem in ((["z"], "een van de antwoorden"), (list(single.keys[:2]), "één")):
        with pytest.raises(SelfCheckInputError) as raised:
            selfcheck.score(quiz, _all_right(quiz) | {single.id: chosen})
        assert problem in raised.value.errors[single.id]


# --- recording ---------------------------------------------------------------------------------


@pytest.fixture
def school(db) -> Organisation:
    return OrganisationFactory(name="Basisschool De Test", sector=Sector.EDUCATION)


@pytest.fixture
def teacher(school):
    return MembershipFactory(role=Role.PROFESSIONAL, organisation=school).user


def test_an_attempt_is_stored_for_the_actor_with_a_log_row(teacher):
    quiz = _quiz()
    attempt = selfcheck.attempt_record(
        actor=actor_of(teacher),
        profession="onderwijs",
        quiz_version=quiz.version,
        answers=_one_wrong(quiz),
    )
    attempt.refresh_from_db()
    assert attempt.user == teacher
    assert (attempt.score, attempt.total) == (len(quiz.questions) - 1, len(quiz.questions))
    assert attempt.quiz_version == "algemeen:1+onderwijs:1"
    assert AccessLogEntry.objects.filter(
        user=teacher,
        action=Action.CREATE,
        subject_type=Subject.SELF_CHECK,
        subject_id=str(attempt.pk),
        outcome=AccessOutcome.ALLOWED,
    ).exists()


def test_answers_to_another_version_or_an_unknown_beroepsgroep_store_nothing(teacher):
    quiz = _quiz()
    actor = actor_of(teacher)
    with pytest.raises(SelfCheckInputError, match="bijgewerkt"):
        selfcheck.attempt_record(
            actor=actor, profession="onderwijs", quiz_version="algemeen:0", answers=_all_right(quiz)
        )
    with pytest.raises(SelfCheckInputError, match="beroepsgroep"):
        selfcheck.attempt_record(
            actor=actor, profession="tandartsen", quiz_version=quiz.version, answers={}
        )
    assert not SelfCheckAttempt.objects.exists()


def test_only_case_work_may_take_the_quiz(school):
    """The service refuses a role without case work itself, not only the page's door."""
    admin = MembershipFactory(role=Role.FUNCTIONAL_ADMIN, organisation=school).user
    quiz = _quiz()
    with pytest.raises(Http404):
        selfcheck.attempt_record(
            actor=actor_of(admin),
            profession="onderwijs",
            quiz_version=quiz.version,
            answers=_all_right(quiz),
        )
    assert not SelfCheckAttempt.objects.exists()
    assert AccessLogEntry.objects.filter(
        user=admin, subject_type=Subject.SELF_CHECK, outcome=AccessOutcome.DENIED
    ).exists()


# --- pages -------------------------------------------------------------------------------------


def test_the_start_page_proposes_the_members_own_beroepsgroep(school):
    nurse = MembershipFactory(
        role=Role.PROFESSIONAL, organisation=school, profession="verpleging_verzorging"
    ).user
    page = force_verified_login(Client(), nurse).get(reverse("trainings:selfcheck_start"))
    assert page.status_code == 200
    assert '<option value="verpleging_verzorging" selected>' in page.content.decode()


def test_the_start_page_falls_back_on_the_sector(teacher):
    page = force_verified_login(Client(), teacher).get(reverse("trainings:selfcheck_start"))
    assert '<option value="onderwijs" selected>' in page.content.decode()


def test_the_quiz_page_shows_the_general_and_own_questions(teacher):
    quiz = _quiz()
    page = force_verified_login(Client(), teacher).get(TAKE, {"beroepsgroep": "onderwijs"})
    html = page.content.decode()
    assert page.status_code == 200
    for question in quiz.questions:
        assert f'id="vraag-{question.id}"' in html
    multiple = next(q for q in quiz.questions if q.multiple)
    assert f'type="checkbox" name="vraag-{multiple.id}"' in html
    assert 'name="versie" value="algemeen:1+onderwijs:1"' in html
    assert "Stand van de vragen: 4 december 2026" in html


def test_an_unknown_beroepsgroep_goes_back_to_the_choice(teacher):
    page = force_verified_login(Client(), teacher).get(TAKE, {"beroepsgroep": "<script>"})
    assert page.status_code == 400
    assert "Kies uw beroepsgroep." in page.content.decode()


def test_unanswered_questions_are_named_and_the_given_answers_kept(teacher):
    quiz = _quiz()
    answers = _all_right(quiz)
    second, fifth = quiz.questions[1], quiz.questions[4]
    del answers[second.id], answers[fifth.id]
    client = force_verified_login(Client(), teacher)
    page = client.post(TAKE, _post_data(quiz, answers))
    html = page.content.decode()
    assert page.status_code == 400
    assert "Vragen 2 en 5 zijn nog niet beantwoord." in html
    assert f'href="#vraag-{second.id}">Vraag 2: ' in html
    assert html.count("Deze vraag is nog niet beantwoord.") == 2  # at the two questions
    first = quiz.questions[0]
    assert f'id="vraag-{first.id}-{first.right[0]}" value="{first.right[0]}" checked' in html
    assert not SelfCheckAttempt.objects.exists()


def test_answering_shows_the_score_and_each_explanation(teacher):
    quiz = _quiz()
    client = force_verified_login(Client(), teacher)
    response = client.post(TAKE, _post_data(quiz, _one_wrong(quiz)))
    attempt = SelfCheckAttempt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("trainings:selfcheck_attempt", args=[attempt.pk])
    html = client.get(response["Location"]).content.decode()
    assert f"U had {len(quiz.questions) - 1} van de {len(quiz.questions)} vragen goed." in html
    assert html.count("Niet goed") == 1
    for question in quiz.questions:
        assert question.explanation in html
    assert quiz.questions[0].label(quiz.questions[0].right[0]) in html


def test_my_earlier_attempts_are_mine_only_without_a_query_per_attempt(
    teacher, school, django_assert_max_num_queries
):
    colleague = MembershipFactory(role=Role.PROFESSIONAL, organisation=school).user
    for user, score in ((teacher, 5), (teacher, 8), (teacher, 11), (colleague, 3)):
        SelfCheckAttempt.objects.create(
            user=user,
            organisation=school,
            profession="onderwijs",
            quiz_version="algemeen:1+onderwijs:1",
            score=score,
            total=13,
        )
    client = force_verified_login(Client(), teacher)
    client.get(reverse("trainings:selfcheck_attempts"))  # warm the session
    with django_assert_max_num_queries(12):
        page = client.get(reverse("trainings:selfcheck_attempts"))
    html = page.content.decode()
    for score in (5, 8, 11):
        assert f"{score} van 13" in html
    assert "3 van 13" not in html


# --- privacy: nobody else opens an attempt ----------------------------------------------------


@pytest.fixture
def attempt(teacher, school) -> SelfCheckAttempt:
    quiz = _quiz()
    return selfcheck.attempt_record(
        actor=actor_of(teacher),
        profession="onderwijs",
        quiz_version=quiz.version,
        answers=_all_right(quiz),
    )


def _is_refused(user, attempt: SelfCheckAttempt) -> None:
    response = force_verified_login(Client(), user).get(
        reverse("trainings:selfcheck_attempt", args=[attempt.pk])
    )
    assert response.status_code == 404
    assert "vragen goed" not in response.content.decode()
    assert AccessLogEntry.objects.filter(
        user=user,
        subject_type=Subject.SELF_CHECK,
        subject_id=str(attempt.pk),
        outcome=AccessOutcome.DENIED,
    ).exists()


def test_the_professional_opens_their_own_attempt(teacher, attempt):
    response = force_verified_login(Client(), teacher).get(
        reverse("trainings:selfcheck_attempt", args=[attempt.pk])
    )
    assert response.status_code == 200


def test_a_colleague_cannot_open_the_attempt(school, attempt):
    _is_refused(MembershipFactory(role=Role.PROFESSIONAL, organisation=school).user, attempt)


def test_the_aandachtsfunctionaris_cannot_open_the_attempt(school, attempt):
    _is_refused(MembershipFactory(role=Role.MELDCODE_OFFICER, organisation=school).user, attempt)


def test_the_beheerder_cannot_open_the_attempt(school, attempt):
    _is_refused(MembershipFactory(role=Role.FUNCTIONAL_ADMIN, organisation=school).user, attempt)


def test_platformbeheer_cannot_open_the_attempt(attempt):
    platform = OrganisationFactory(name="Gemeente Test", sector=Sector.MUNICIPALITY)
    _is_refused(MembershipFactory(role=Role.PLATFORM_ADMIN, organisation=platform).user, attempt)


def test_the_professional_sees_their_attempt_acting_for_another_organisation(teacher, attempt):
    """The results are the person's own, whichever organisation they act for now."""
    other = OrganisationFactory(name="Kinderopvang De Test", sector=Sector.CHILDCARE)
    Membership.objects.create(user=teacher, organisation=other, role=Role.PROFESSIONAL)
    client = force_verified_login(Client(), teacher)
    client.post(reverse("accounts:organisation_switch"), {"organisation": other.pk})
    assert client.session[SESSION_ORGANISATION_KEY] == other.pk
    response = client.get(reverse("trainings:selfcheck_attempt", args=[attempt.pk]))
    assert response.status_code == 200


def test_an_attempt_on_older_questions_shows_them_as_they_were_asked(teacher, school):
    asked = {
        "id": "oude-vraag",
        "text": "Een vraag die er niet meer is?",
        "options": [["a", "Ja"], ["b", "Nee"]],
        "right": ["b"],
        "chosen": ["a"],
        "correct": False,
        "explanation": "Zo was het toen.",
    }
    attempt = SelfCheckAttempt.objects.create(
        user=teacher,
        organisation=school,
        profession="onderwijs",
        quiz_version="algemeen:0+onderwijs:0",
        score=0,
        total=1,
        answers={"quiz": "algemeen:0+onderwijs:0", "questions": [asked]},
    )
    html = (
        force_verified_login(Client(), teacher)
        .get(reverse("trainings:selfcheck_attempt", args=[attempt.pk]))
        .content.decode()
    )
    assert "De vragen zijn na deze zelftoets bijgewerkt." in html
    assert "Een vraag die er niet meer is?" in html
    assert "Zo was het toen." in html
