"""Labels in templates: roles and what an access-log row is about, in Dutch, from their enums; and
templates that are parsed once per process."""

from __future__ import annotations

import pytest
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader
from django.urls import reverse

from meldwijzer.audit.models import Subject
from meldwijzer.core.templatetags.meldwijzer import subject_label
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.templatetags.roles import role_label
from tests.conftest import force_verified_login


def test_every_role_and_subject_has_its_dutch_label():
    for role in Role:
        assert role_label(role.value) == role.label
    for subject in Subject:
        assert subject_label(subject.value) == subject.label
    assert role_label("vroeger") == "vroeger"
    assert subject_label("iets") == "iets"


@pytest.mark.django_db
def test_the_start_page_names_the_role_in_dutch(client, make_member, organisation):
    editor = make_member(Role.CONTENT_EDITOR, organisation)
    page = force_verified_login(client, editor).get(reverse("core:start")).content.decode()
    assert "Redacteur kennisbank" in page
    assert "content_editor" not in page


def test_templates_are_parsed_once_per_process():
    # Django's cached loader, as in production: a page with many includes parses none again.
    loaders = engines["django"].engine.template_loaders
    assert [type(loader) for loader in loaders] == [CachedLoader]
