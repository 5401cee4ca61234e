"""`check --deploy` refuses keys in the data directory and demo mode, as errors; key files
outside the data directory are read; the access log's checkpoints must be writable and
preferably elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from meldwijzer.conf.env import secret_from_env_or_file, syslog_address
from meldwijzer.core.checks import (
    audit_checkpoints_kept_apart,
    demo_mode_off,
    keys_outside_the_data_directory,
)

KEYS = (
    "MELDWIJZER_SECRET_KEY",
    "MELDWIJZER_AUDIT_KEY",
    "MELDWIJZER_PSEUDONYM_KEY",
    "MELDWIJZER_DATALAB_KEY",
)


@pytest.fixture
def data_dir(settings, tmp_path, monkeypatch) -> Path:
    """A data directory, and no key in the environment: they would be generated in it."""
    directory = tmp_path / "data"
    directory.mkdir()
    settings.DATA_DIR = directory
    settings.DEMO_MODE = False
    outside = tmp_path / "elders"
    outside.mkdir()
    settings.AUDIT_CHECKPOINT_FILE = outside / "controlepunten.jsonl"
    for name in KEYS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)
    return directory


def ids(messages: list[checks.CheckMessage]) -> list[str]:
    return [message.id for message in messages]


def test_keys_generated_in_the_data_directory_are_errors(data_dir):
    found = keys_outside_the_data_directory()
    assert ids(found) == ["meldwijzer.E001"] * 4
    assert all(message.level == checks.ERROR for message in found)
    assert "MELDWIJZER_AUDIT_KEY staat in de datamap" in found[1].msg
    assert "MELDWIJZER_AUDIT_KEY_FILE" in found[1].hint


def test_keys_from_the_environment_or_a_file_elsewhere_pass(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("MELDWIJZER_SECRET_KEY", "s" * 50)
    monkeypatch.setenv("MELDWIJZER_PSEUDONYM_KEY", "p" * 50)
    monkeypatch.setenv("MELDWIJZER_DATALAB_KEY", "d" * 50)
    key_file = tmp_path / "elders" / "audit.key"
    key_file.write_text("a" * 50 + "\n")
    monkeypatch.setenv("MELDWIJZER_AUDIT_KEY_FILE", str(key_file))
    assert keys_outside_the_data_directory() == []
    assert secret_from_env_or_file("MELDWIJZER_AUDIT_KEY", data_dir) == "a" * 50


def test_a_key_file_inside_the_data_directory_is_an_error(data_dir, monkeypatch):
    monkeypatch.setenv("MELDWIJZER_SECRET_KEY", "s" * 50)
    monkeypatch.setenv("MELDWIJZER_PSEUDONYM_KEY", "p" * 50)
    monkeypatch.setenv("MELDWIJZER_DATALAB_KEY", "d" * 50)
    inside = data_dir / "sleutels" / ".." / "audit.key"
    monkeypatch.setenv("MELDWIJZER_AUDIT_KEY_FILE", str(inside))
    assert ids(keys_outside_the_data_directory()) == ["meldwijzer.E001"]


@pytest.mark.parametrize("content", [None, "  \n"], ids=["ontbreekt", "leeg"])
def test_a_missing_or_empty_key_file_stops_the_start(tmp_path, monkeypatch, content):
    monkeypatch.delenv("MELDWIJZER_AUDIT_KEY", raising=False)
    key_file = tmp_path / "audit.key"
    if content is not None:
        key_file.write_text(content)
    monkeypatch.setenv("MELDWIJZER_AUDIT_KEY_FILE", str(key_file))
    with pytest.raises(ImproperlyConfigured, match="sleutelbestand"):
        secret_from_env_or_file("MELDWIJZER_AUDIT_KEY", tmp_path)
    assert not (tmp_path / "meldwijzer_audit_key.txt").exists()  # nothing generated instead


def test_demo_mode_is_an_error(data_dir, settings):
    assert demo_mode_off() == []
    settings.DEMO_MODE = True
    found = demo_mode_off()
    assert ids(found) == ["meldwijzer.E002"] and found[0].level == checks.ERROR


def test_checkpoints_in_the_data_directory_are_a_warning(data_dir, settings):
    assert audit_checkpoints_kept_apart() == []
    settings.AUDIT_CHECKPOINT_FILE = data_dir / "controlepunten.jsonl"
    assert ids(audit_checkpoints_kept_apart()) == ["meldwijzer.W001"]


def test_checkpoints_that_cannot_be_written_are_an_error(data_dir, settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "bestaat-niet" / "controlepunten.jsonl"
    assert ids(audit_checkpoints_kept_apart()) == ["meldwijzer.E003"]


def test_check_deploy_fails_on_keys_in_the_data_directory_and_demo_mode(data_dir, settings):
    settings.DEMO_MODE = True
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", "--deploy", "--fail-level", "ERROR")
    assert "meldwijzer.E001" in str(raised.value)
    assert "meldwijzer.E002" in str(raised.value)


def test_only_the_deploy_check_looks_at_keys(data_dir, settings):
    settings.DEMO_MODE = True
    call_command("check", "--fail-level", "ERROR")  # the demo and development still start


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("/dev/log", "/dev/log"),
        ("log.gemeente.example", ("log.gemeente.example", 514)),
        ("log.gemeente.example:1514", ("log.gemeente.example", 1514)),
        ("[2001:db8::1]:1514", ("2001:db8::1", 1514)),
        ("::1", ("::1", 514)),
    ],
)
def test_syslog_addresses(value, address):
    assert syslog_address(value) == address
