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
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from meldwijzer.accounts.forms import ApiTokenForm, EnrolmentCodeForm, LoginForm, TokenForm
from meldwijzer.accounts.models import EnrolmentCode, User
from meldwijzer.accounts.selectors import api_token_get, api_token_list, session_count
from meldwijzer.accounts.services import (
    API_KEYS_NOT_ALLOWED,
    ENROLMENT_CODE_WRONG,
    AccountError,
    api_token_create,
    api_token_refusal_record,
    api_token_revoke,
    enrolment_code_find,
    login_address_throttled,
    login_complete,
    login_failed_record,
    logout_complete,
    logout_everywhere,
    password_reset_record,
    second_factor_confirm,
    second_factor_is_fresh,
    totp_device_enrol,
)
from meldwijzer.audit.models import Action
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.middleware import SESSION_ORGANISATION_KEY
from meldwijzer.organisations.selectors import actor_api_key_roles, organisations_for_user

PENDING_KEY = "meldwijzer_pending_login"
PENDING_SECONDS = 300
MAX_CODE_ATTEMPTS = 5
ENROLMENT_KEY = "meldwijzer_enrolment"
WRONG_CODE = "Deze code klopt niet of is verlopen. Wacht op de volgende code."


def _pending_user(request: HttpRequest) -> User | None:
    """The person who gave the right password and still has to give their code."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > pending.get("seconds", PENDING_SECONDS):
        request.session.pop(PENDING_KEY, None)
        request.session.pop(ENROLMENT_KEY, None)
        return None
    return User.objects.filter(pk=pending["user_id"], is_active=True).first()


def _code_failed(request: HttpRequest, user: User, part: str = "") -> bool:
    """Count a wrong code; after too many the password has to be given again."""
    pending = request.session[PENDING_KEY]
    pending["failures"] = pending.get("failures", 0) + 1
    request.session[PENDING_KEY] = pending
    login_failed_record(username=user.username, user=user, part=part)
    if pending["failures"] >= MAX_CODE_ATTEMPTS:
        request.session.pop(PENDING_KEY, None)
        request.session.pop(ENROLMENT_KEY, None)
        return True
    return False


@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:start")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if login_address_throttled():
            login_failed_record(username=request.POST.get("username", ""))
            return lockout_response(request)
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
            WRONG_CODE
            if allowed
            else "Te veel pogingen kort na elkaar. Wacht even en probeer het opnieuw.",
        )
    return render(request, "accounts/mfa.html", {"form": form, "demo_code": _demo_code(device)})


def _enrolment(request: HttpRequest, user: User) -> dict[str, Any] | None:
    """The authenticator `user` is setting up in this session: its secret lives here only, for
    `ENROLMENT_SECRET_LIFETIME`, so another session (with the password) never sees it."""
    enrolment = request.session.get(ENROLMENT_KEY)
    lifetime = settings.ENROLMENT_SECRET_LIFETIME.total_seconds()
    if not enrolment or enrolment["user_id"] != user.pk or time.time() - enrolment["at"] > lifetime:
        request.session.pop(ENROLMENT_KEY, None)
        return None
    return enrolment


def mfa_setup_view(request: HttpRequest) -> HttpResponse:
    """Setting up the authenticator: first the one-time code from the beheerder, then the secret
    (new for this session) and a code from the app to confirm it."""
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:mfa")
    enrolment = _enrolment(request, user)
    if enrolment is None:
        return _enrolment_code_step(request, user)
    device = TOTPDevice(user=user, key=enrolment["key"], name="Authenticator-app")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        if totp.verify(int(form.cleaned_data["token"]), tolerance=device.tolerance):
            return _enrolment_finish(request, user, enrolment, totp.t())
        if _code_failed(request, user, part="authenticator instellen"):
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
            "minutes": int(settings.ENROLMENT_SECRET_LIFETIME.total_seconds() // 60),
        },
    )


def _enrolment_code_step(request: HttpRequest, user: User) -> HttpResponse:
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = enrolment_code_find(user=user, code=form.cleaned_data["code"])
        if code is not None:
            request.session[ENROLMENT_KEY] = {
                "user_id": user.pk,
                "key": random_hex(20),
                "code_id": code.pk,
                "at": time.time(),
            }
            # The password step's few minutes start again, as long as the secret lives.
            pending = request.session[PENDING_KEY]
            lifetime = settings.ENROLMENT_SECRET_LIFETIME.total_seconds()
            pending.update(at=time.time(), seconds=lifetime)
            request.session[PENDING_KEY] = pending
            return redirect("accounts:mfa_setup")
        if _code_failed(request, user, part="activeringscode"):
            messages.error(request, "Te vaak een verkeerde code. Log opnieuw in.")
            return redirect("accounts:login")
        form.add_error("code", ENROLMENT_CODE_WRONG)
    return render(request, "accounts/mfa_enrolment_code.html", {"form": form})


def _enrolment_finish(
    request: HttpRequest, user: User, enrolment: dict[str, Any], last_t: int
) -> HttpResponse:
    code = EnrolmentCode(pk=enrolment["code_id"])
    try:
        device = totp_device_enrol(
            user=user, enrolment_code=code, key=enrolment["key"], last_t=last_t
        )
    except AccountError as error:  # used up in another session meanwhile, or expired
        request.session.pop(ENROLMENT_KEY, None)
        messages.error(request, str(error))
        return redirect("accounts:mfa_setup")
    request.session.pop(ENROLMENT_KEY, None)
    request.session.pop(PENDING_KEY, None)
    login_complete(request=request, user=user, device=device)
    messages.success(request, "Tweestapsverificatie is ingesteld.")
    return redirect("core:start")


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
    revoked. Making one needs the code from the authenticator when the last one was given more
    than `SECOND_FACTOR_FRESH_FOR` ago."""
    actor = current_actor(request)
    allowed = bool(actor_api_key_roles(actor=actor))
    needs_code = not second_factor_is_fresh(request=request)
    form = ApiTokenForm(request.POST or None, needs_code=needs_code)
    new_secret = None
    status = 200
    if not allowed:
        api_token_refusal_record(
            actor=actor, action=Action.CREATE if request.method == "POST" else Action.READ
        )
        status = 403
    elif request.method == "POST" and form.is_valid():
        if needs_code and not second_factor_confirm(
            request=request, actor=actor, code=form.cleaned_data["token"]
        ):
            form.add_error("token", WRONG_CODE)
            status = 403
        else:
            try:
                _, new_secret = api_token_create(actor=actor, name=form.cleaned_data["name"])
            except AccountError as error:  # switched off between the check above and now
                form.add_error(None, str(error))
                status = 403
            else:
                form = ApiTokenForm(needs_code=False)
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": api_token_list(actor=actor),
            "new_secret": new_secret,
            "allowed": allowed,
            "refusal": API_KEYS_NOT_ALLOWED,
            "days": settings.API_TOKEN_LIFETIME.days,
            "idle_days": settings.API_TOKEN_IDLE_TIMEOUT.days,
            "fresh_minutes": int(settings.SECOND_FACTOR_FRESH_FOR.total_seconds() // 60),
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


@actor_required()
def account_view(request: HttpRequest) -> HttpResponse:
    """One's own account: where to log out everywhere."""
    actor = current_actor(request)
    return render(request, "accounts/account.html", {"sessions": session_count(actor=actor)})


@require_POST
@actor_required()
def logout_everywhere_view(request: HttpRequest) -> HttpResponse:
    logout_everywhere(request=request, actor=current_actor(request))
    messages.success(request, "U bent overal uitgelogd en al uw API-sleutels zijn ingetrokken.")
    return redirect("accounts:login")


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

    def form_valid(self, form: Any) -> HttpResponse:
        # The new password and the revocation of what the old one gave belong together.
        with transaction.atomic():
            response = super().form_valid(form)
            password_reset_record(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
