"""Logging in with password and authenticator code, logging out, password reset, API tokens."""

from __future__ import annotations

import base64
import time
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts.forms import ApiTokenForm, LoginForm, TokenForm
from meldwijzer.accounts.models import User
from meldwijzer.accounts.selectors import api_token_get, api_token_list
from meldwijzer.accounts.services import (
    API_KEYS_NOT_ALLOWED,
    API_TOKEN_DAYS,
    AccountError,
    api_token_create,
    api_token_refusal_record,
    api_token_revoke,
    login_complete,
    login_failed_record,
    logout_complete,
    totp_device_confirm,
    totp_device_for_enrolment,
)
from meldwijzer.audit.models import Action
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.middleware import SESSION_ORGANISATION_KEY
from meldwijzer.organisations.selectors import actor_api_key_roles, organisations_for_user

PENDING_KEY = "meldwijzer_pending_login"
PENDING_SECONDS = 300
MAX_CODE_ATTEMPTS = 5


def _pending_user(request: HttpRequest) -> User | None:
    """The person who gave the right password and still has to give their code."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return User.objects.filter(pk=pending["user_id"], is_active=True).first()


def _code_failed(request: HttpRequest, user: User) -> bool:
    """Count a wrong code; after too many the password has to be given again."""
    pending = request.session[PENDING_KEY]
    pending["failures"] = pending.get("failures", 0) + 1
    request.session[PENDING_KEY] = pending
    login_failed_record(username=user.username, user=user)
    if pending["failures"] >= MAX_CODE_ATTEMPTS:
        request.session.pop(PENDING_KEY, None)
        return True
    return False


@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:start")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            request.session.cycle_key()
            request.session[PENDING_KEY] = {
                "user_id": form.get_user().pk,
                "at": time.time(),
                "next": _safe_next(request),
            }
            return redirect("accounts:mfa")
        login_failed_record(username=request.POST.get("username", ""))
    return render(request, "accounts/login.html", {"form": form})


def _safe_next(request: HttpRequest) -> str:
    """The page asked for in ?next=, if it is on this site; the start page otherwise."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(reverse_lazy("core:start"))


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any):
    return render(request, "accounts/locked_out.html", status=429)


def _demo_code(device: TOTPDevice) -> str | None:
    """In demo mode only, the current code for demo accounts, for newcomers without an app."""
    if not settings.DEMO_MODE:
        return None
    from meldwijzer.accounts.demo import DEMO_TOTP_KEY_HEX

    if device.key != DEMO_TOTP_KEY_HEX:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def mfa_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, "Log eerst in met uw gebruikersnaam en wachtwoord.")
        return redirect("accounts:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("accounts:mfa_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            target = request.session.pop(PENDING_KEY, {}).get("next") or _safe_next(request)
            login_complete(request=request, user=user, device=device)
            return redirect(target)
        if _code_failed(request, user):
            messages.error(request, "Te vaak een verkeerde code. Log opnieuw in.")
            return redirect("accounts:login")
        form.add_error(
            "token",
            "Deze code klopt niet of is verlopen. Wacht op de volgende code."
            if allowed
            else "Te veel pogingen kort na elkaar. Wacht even en probeer het opnieuw.",
        )
    return render(request, "accounts/mfa.html", {"form": form, "demo_code": _demo_code(device)})


def mfa_setup_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:mfa")
    device = totp_device_for_enrolment(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            totp_device_confirm(device=device)
            request.session.pop(PENDING_KEY, None)
            login_complete(request=request, user=user, device=device)
            messages.success(request, "Tweestapsverificatie is ingesteld.")
            return redirect("core:start")
        if _code_failed(request, user):
            return redirect("accounts:login")
        form.add_error("token", "Deze code klopt niet. Controleer de tijd op uw telefoon.")
    secret_b32 = _base32(device.bin_key)
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "secret": " ".join(secret_b32[i : i + 4] for i in range(0, len(secret_b32), 4)),
            "qr_data_uri": qr.svg_data_uri(scale=5, dark="#000", light="#fff"),
        },
    )


def _base32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout_complete(request=request)
    messages.success(request, "U bent uitgelogd.")
    return redirect("accounts:login")


@require_POST
@login_required
def organisation_switch_view(request: HttpRequest) -> HttpResponse:
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        organisation_id = 0
    if organisations_for_user(user=request.user).filter(pk=organisation_id).exists():  # type: ignore[arg-type]
        request.session[SESSION_ORGANISATION_KEY] = organisation_id
        messages.success(request, "U werkt nu namens een andere organisatie.")
    else:
        messages.error(request, "U kunt niet namens deze organisatie werken.")
    return redirect("core:start")


@actor_required()
def api_tokens_view(request: HttpRequest) -> HttpResponse:
    """Make and revoke one's own API keys. Where the organisation allows none of the actor's
    roles keys, the page refuses (403, logged) but still lists their keys, so they can be
    revoked."""
    actor = current_actor(request)
    allowed = bool(actor_api_key_roles(actor=actor))
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    status = 200
    if not allowed:
        api_token_refusal_record(
            actor=actor, action=Action.CREATE if request.method == "POST" else Action.READ
        )
        status = 403
    elif request.method == "POST" and form.is_valid():
        try:
            _, new_secret = api_token_create(actor=actor, name=form.cleaned_data["name"])
        except AccountError as error:  # switched off between the check above and now
            form.add_error(None, str(error))
            status = 403
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": api_token_list(actor=actor),
            "new_secret": new_secret,
            "allowed": allowed,
            "refusal": API_KEYS_NOT_ALLOWED,
            "days": API_TOKEN_DAYS,
        },
        status=status,
    )


@require_POST
@actor_required()
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = current_actor(request)
    token = api_token_get(actor=actor, token_id=token_id)
    try:
        api_token_revoke(actor=actor, token=token)
        messages.success(request, "De API-sleutel is ingetrokken.")
    except AccountError as error:
        messages.error(request, str(error))
    return redirect("accounts:api_tokens")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Sets a new password only; the person then logs in with password and code as always."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
