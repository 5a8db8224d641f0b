"""What free text may hold, checked the same way wherever text comes in (``add``, the
web forms, ``import``): one rule, so a name refused by one door is refused by all."""

from __future__ import annotations

import unicodedata


def control_character(text: str) -> str | None:
    """The first control character but newline and tab, if any: an escape sequence hidden
    in a company name would rewrite the terminal that prints it."""
    return next((ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t"), None)
