"""Markup smuggled in through a source name, a filename or a value quoted in an error message is
shown as text on every page and in the PDF report's HTML, never run."""

from __future__ import annotations

import io

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from meldwijzer.datalab.disclosure import REASONS
from meldwijzer.datalab.exports import period
from meldwijzer.datalab.imports import import_file
from meldwijzer.datalab.selectors import report_get
from meldwijzer.datalab.views.dashboard import figures, last_import
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.conftest import force_verified_login
from tests.datalab.sharedfiles import csv_bytes, row
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def test_markup_is_escaped_on_pages_and_in_the_pdf():
    organisation = OrganisationFactory(name="Gemeente Proefpolder")
    membership = MembershipFactory(organisation=organisation, role=Role.POLICY_ADVISER)
    actor = actor_for_user(user=membership.user, organisation_id=organisation.pk)
    good = import_file(
        actor=actor,
        source_name=SCRIPT,
        source_kind="partner",
        uploaded=io.BytesIO(csv_bytes([row(f"X-{n}") for n in range(12)])),
        filename=f"{SCRIPT}.csv",
    )
    bad = import_file(
        actor=actor,
        source_name=SCRIPT,
        source_kind="partner",
        uploaded=io.BytesIO(csv_bytes([row("<b>x</b>"), row("<b>x</b>")])),
        filename="<img src=x onerror=alert(1)>.csv",
    )
    client = force_verified_login(Client(), membership.user)
    urls = [
        reverse("datalab:overview"),
        reverse("datalab:imports"),
        reverse("datalab:import", kwargs={"import_id": good.pk}),
        reverse("datalab:import", kwargs={"import_id": bad.pk}),
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>x" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in client.get(urls[-1]).content.decode()
    report = report_get(organisation=organisation)
    html = render_to_string(
        "datalab/report_pdf.html",
        {
            "report": report,
            "sections": [(a, figures(a)) for a in report.analyses],
            "last_import": last_import(report),
            "reasons": REASONS,
            "period": period(report),
        },
    )
    assert "<script>alert" not in html
