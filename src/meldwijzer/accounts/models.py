"""Accounts, their open sessions, and API tokens."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who logs in. What they may do follows from their memberships (organisations app)."""

    phone = models.CharField("telefoon", max_length=30, blank=True)

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class UserSession(models.Model):
    """A login session, so that logging out elsewhere or deactivation can end it on the server."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"sessie van {self.user_id}"


class ApiToken(models.Model):
    """A personal API token, bound to one organisation. Only a hash of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField("omschrijving", max_length=100)
    prefix = models.CharField(max_length=8, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("verloopt op")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (mw_{self.prefix}_…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    def idle_since(self) -> datetime:
        """When it was last used (or made): it stops after `API_TOKEN_IDLE_TIMEOUT` unused."""
        return self.last_used_at or self.created_at

    def is_idle(self, now: datetime) -> bool:
        return now - self.idle_since() > settings.API_TOKEN_IDLE_TIMEOUT


class EnrolmentCode(models.Model):
    """A one-time code with which a person sets up their authenticator: for a new account, or
    after the beheerder reset it. The beheerder sees the code once and passes it on in person or
    by phone; only its SHA-256 is stored. It works once, for its own person, until it expires."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("verloopt op")
    used_at = models.DateTimeField("gebruikt op", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "activeringscode"
        verbose_name_plural = "activeringscodes"

    def __str__(self) -> str:
        return f"activeringscode voor {self.user_id}"

    @staticmethod
    def hash_code(code: str) -> str:
        return hashlib.sha256(code.encode()).hexdigest()
