"""Profiles and staff releases are pseudonymous: free text must not carry contact data."""

from __future__ import annotations

import re

from services.profiles.domain.errors import ContactDataError

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
# A phone number starts with + or 0 and has at least seven digits, maybe separated by
# spaces, slashes, brackets or dashes (not dots, so dates like 01.06.2026 pass); an
# internal code like "EMP-2024-00123" does not start a number after its dash.
_PHONE = re.compile(r"(?:\+|(?<![\w-])0)\d(?:[\s/()-]{0,2}\d){5,}")


def refuse_contact_data(field: str, text: str | None) -> None:
    """ContactDataError when `text` contains an e-mail address or a phone number."""
    if not text:
        return
    if _EMAIL.search(text):
        raise ContactDataError(field, "an e-mail address")
    if _PHONE.search(text):
        raise ContactDataError(field, "a phone number")
