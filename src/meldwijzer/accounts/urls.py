from django.urls import path

from meldwijzer.accounts import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/code/", views.mfa_view, name="mfa"),
    path("inloggen/authenticator-instellen/", views.mfa_setup_view, name="mfa_setup"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("", views.account_view, name="account"),
    path("overal-uitloggen/", views.logout_everywhere_view, name="logout_everywhere"),
    path("organisatie-kiezen/", views.organisation_switch_view, name="organisation_switch"),
    path("api-sleutels/", views.api_tokens_view, name="api_tokens"),
    path(
        "api-sleutels/<int:token_id>/intrekken/",
        views.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-instellen/klaar/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
