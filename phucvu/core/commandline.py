"""What the management commands share: their arguments' parsers."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError


def iso_date(value: str) -> dt.date:
    """An argparse `type` for a YYYY-MM-DD date, refused with the command's Vietnamese error."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ngày không hợp lệ: '{value}' (dạng YYYY-MM-DD).") from exc
