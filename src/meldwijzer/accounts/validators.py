"""Password rules with Dutch messages."""

from __future__ import annotations

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"Dit wachtwoord is te kort: gebruik minstens {self.min_length} tekens."

    def get_help_text(self) -> str:
        return f"Uw wachtwoord moet minstens {self.min_length} tekens bevatten."
