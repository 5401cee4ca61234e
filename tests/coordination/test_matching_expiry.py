"""A match signal expires two years after it was made: from then on it is never shown, cannot be
marked, and `match_signals --purge` deletes it — safely, however often it runs."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.cases import services as case_services
from meldwijzer.coordination import matching
from meldwijzer.coordination.models import MatchSignal
from meldwijzer.organisations.models import Sector
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, professional
from tests.coordination.test_matching_signals import case_about, match

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
JUST_BEFORE = datetime.datetime(2028, 3, 2, 9, 59, tzinfo=datetime.UTC)
EXPIRED = datetime.datetime(2028, 3, 2, 10, 1, tzinfo=datetime.UTC)


@pytest.fixture
def signal_at_t0():
    with time_machine.travel(T0, tick=False):
        teacher = professional(sector=Sector.EDUCATION)
        nurse = professional(sector=Sector.PUBLIC_HEALTH)
        case_about(teacher)
        (signal,) = match(case_about(nurse))
    return teacher, nurse, signal


def test_a_signal_lives_two_years_and_then_is_never_shown(client, signal_at_t0):
    teacher, nurse, signal = signal_at_t0
    assert signal.expires_at == T0.replace(year=2028)
    with time_machine.travel(JUST_BEFORE, tick=False):
        assert len(matching.signals_for(actor=actor_of(teacher))) == 1
        assert matching.unseen_count(actor=actor_of(nurse)) == 1
    with time_machine.travel(EXPIRED, tick=False):
        assert matching.signals_for(actor=actor_of(teacher)) == []
        assert matching.unseen_count(actor=actor_of(nurse)) == 0
        with pytest.raises(Http404):
            matching.signal_get(actor=actor_of(teacher), signal_id=signal.pk)
        force_verified_login(client, teacher)
        assert (
            "Casusregisseur voor het gezin"
            not in client.get(reverse("coordination:match_list")).content.decode()
        )
        assert client.get(reverse("api:coordination-match-signals")).json() == []
        response = client.post(reverse("coordination:match_seen", args=[signal.pk]))
        assert response.status_code == 404


def test_purge_deletes_expired_signals_only_and_is_safe_to_run_twice(signal_at_t0):
    _, _, old = signal_at_t0
    with time_machine.travel(T0 + datetime.timedelta(days=400), tick=False):
        case_about(professional(sector=Sector.YOUTH_CARE), born=None, bsn="111222333")
        other = case_about(professional(sector=Sector.CHILDCARE), born=None, bsn="111222333")
        (young,) = match(other)
    with time_machine.travel(EXPIRED, tick=False):
        out = StringIO()
        call_command("match_signals", "--purge", stdout=out)
        assert "1 vervallen" in out.getvalue()
        assert list(MatchSignal.objects.values_list("pk", flat=True)) == [young.pk]
        out = StringIO()
        call_command("match_signals", "--purge", stdout=out)
        assert "0 vervallen" in out.getvalue()
        assert MatchSignal.objects.count() == 1
    deleted = AccessLogEntry.objects.filter(
        subject_type="samenloop", action="delete", subject_id=str(old.pk)
    )
    assert deleted.count() == 2  # one row in each organisation's chain


def test_without_purge_the_command_only_counts(signal_at_t0):
    with time_machine.travel(EXPIRED, tick=False):
        out = StringIO()
        call_command("match_signals", stdout=out)
    assert "0 lopende en 1 vervallen" in out.getvalue()
    assert MatchSignal.objects.count() == 1


def _record_again(user, case) -> None:
    person = case.persons.get(replaced_by__isnull=True)
    case_services.case_record_person(
        actor=actor_of(user),
        case=case,
        expected_version=case.version,
        replaces=person,
        kind=person.kind,
        name=person.name,
        date_of_birth=person.date_of_birth,
    )


def test_recording_again_after_expiry_makes_a_new_signal_for_the_pair():
    with time_machine.travel(T0, tick=False):
        teacher = professional(sector=Sector.EDUCATION)
        nurse = professional(sector=Sector.PUBLIC_HEALTH)
        school_case = case_about(teacher)
        health_case = case_about(nurse)
        (old,) = match(health_case)
    with time_machine.travel(T0 + datetime.timedelta(days=365), tick=False):
        _record_again(teacher, school_case)
        assert match(school_case) == []  # the pair still has its signal
    with time_machine.travel(EXPIRED, tick=False):
        health_case.refresh_from_db()
        _record_again(nurse, health_case)
        (new,) = match(health_case)
        assert new.expires_at == EXPIRED.replace(year=2030)
        assert list(MatchSignal.objects.values_list("pk", flat=True)) == [new.pk]
        assert not MatchSignal.objects.filter(pk=old.pk).exists()
