"""What every part's services share."""

from __future__ import annotations

from phucvu.organization.models import Staff
from phucvu.organization.selectors import ensure_visible


def check_visible(actor: Staff | None, staff: Staff) -> None:
    """An actor acts only on cadres they may see; `None` is the system (imports, the demo)."""
    if actor is not None:
        ensure_visible(actor.user, staff.agency_id)
