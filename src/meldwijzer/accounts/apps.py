from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "meldwijzer.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from meldwijzer.accounts import signals  # noqa: F401
