from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from meldwijzer.accounts.demo import DEMO_TOTP_KEY_HEX


class Command(BaseCommand):
    help = "Toon de huidige inlogcode van de demo-accounts (alleen in demomodus)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Alleen beschikbaar in demomodus (MELDWIJZER_DEMO_MODE=1).")
        code = TOTP(bytes.fromhex(DEMO_TOTP_KEY_HEX)).token()
        self.stdout.write(f"{code:06d}")
