"""Money is integer rupiah everywhere; this formats it for a person."""

from babel.numbers import format_decimal
from django.utils import translation


def format_rupiah(amount: int | None, *, language: str | None = None) -> str:
    """ "Rp 12.500" in Indonesian, "Rp 12,500" in English; rupiah have no minor unit in use."""
    if amount is None:
        return ""
    language = language or translation.get_language() or "id"
    locale = "en" if language.startswith("en") else "id"
    number = format_decimal(abs(amount), format="#,##0", locale=locale)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp\u00a0{number}"
