"""Phone numbers: validated and normalised to E.164 with the deployment's default country."""

from __future__ import annotations

import phonenumbers


class InvalidPhoneError(ValueError):
    """The text is not a phone number that could be dialled."""


def normalise(raw: str, default_country: str) -> str:
    """``"0712 345 678"`` in Kenya → ``"+254712345678"``; raises ``InvalidPhoneError``."""
    text = raw.strip()
    if not text or len(text) > 32:
        raise InvalidPhoneError(raw)
    try:
        number = phonenumbers.parse(text, default_country.upper())
    except phonenumbers.NumberParseException:
        raise InvalidPhoneError(raw) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneError(raw)
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
