"""E-mail to the aandachtsfunctionarissen when a professional asks for consultation.

The e-mail says only that Meldwijzer holds a new request for their organisation, with the case
reference and a link to the overview of open cases: no case content and no names, because e-mail
leaves the protected environment. It is sent once the request has been committed: a request that
is rolled back e-mails nobody, and a mail server that fails costs the request nothing. The failure
is logged and the request waits on the overview and the start page all the same.

Sending is not a read of client data and is not access-logged; recording the request is.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from meldwijzer.cases.models import Case
from meldwijzer.organisations.models import Membership, Organisation
from meldwijzer.organisations.roles import ROLE_PERMISSIONS, Permission

logger = logging.getLogger(__name__)

SUBJECT = "Nieuwe vraag om consultatie in Meldwijzer"

_muted: ContextVar[bool] = ContextVar("consultation_mail_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Record requests without e-mailing anyone (the demo's made-up requests)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def officer_addresses(
    *, organisation: Organisation, exclude_user_id: int | None = None
) -> list[str]:
    """The e-mail addresses of the organisation's active aandachtsfunctionarissen: the people
    whose role there lets them oversee its cases."""
    roles = [
        role for role, granted in ROLE_PERMISSIONS.items() if Permission.CASE_OVERSEE in granted
    ]
    memberships = Membership.objects.filter(
        organisation=organisation,
        organisation__is_active=True,
        role__in=roles,
        is_active=True,
        user__is_active=True,
    ).exclude(user__email="")
    if exclude_user_id is not None:
        memberships = memberships.exclude(user_id=exclude_user_id)
    return sorted(set(memberships.values_list("user__email", flat=True)))


def consultation_request_notify(*, case: Case, asked_by_id: int) -> None:
    """After the current transaction commits, e-mail each aandachtsfunctionaris of the case's
    organisation (except the person who asked) that a request for consultation is waiting."""
    if _muted.get():
        return
    transaction.on_commit(
        partial(
            _send,
            organisation_id=case.organisation_id,
            reference=case.reference,
            asked_by_id=asked_by_id,
        ),
        robust=True,  # anything else that goes wrong is logged too, never shown as an error page
    )


def _send(*, organisation_id: int, reference: str, asked_by_id: int) -> None:
    organisation = Organisation.objects.get(pk=organisation_id)
    addresses = officer_addresses(organisation=organisation, exclude_user_id=asked_by_id)
    if not addresses:
        return
    body = render_to_string(
        "cases/email/consultation_request.txt",
        {
            "organisation": organisation.name,
            "reference": reference,
            "link": settings.BASE_URL.rstrip("/") + reverse("cases:organisation_overview"),
        },
    )
    # One message per person, so nobody sees who else received it.
    messages = [EmailMessage(subject=SUBJECT, body=body, to=[address]) for address in addresses]
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except OSError:  # smtplib's errors and refused connections are all OSErrors
        logger.exception(
            "E-mail over een nieuwe vraag om consultatie (%s) aan %d aandachtsfunctionaris(sen) "
            "niet verstuurd; de vraag staat wel in Meldwijzer.",
            reference,
            len(addresses),
        )
