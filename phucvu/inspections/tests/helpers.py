"""What several tests do the same way: sign a conclusion the way the law allows it."""

from __future__ import annotations

import datetime as dt

from phucvu.inspections.models import Inspection, Status
from phucvu.inspections.services import inspection_conclude, inspection_draft_received, record_add


def sign(*, actor, inspection_id: int, ended_on: dt.date, conclusion: str = "Xong.",
         received_on: dt.date | None = None, **kw) -> Inspection:
    """The draft received (if not yet), appraised, then the conclusion signed on `ended_on`
    (docs/inspections.md §17: Law 84/2025/QH15 needs the appraisal before signing)."""
    received = received_on or ended_on
    if Inspection.objects.get(pk=inspection_id).status == Status.ONGOING:
        inspection_draft_received(actor=actor, inspection_id=inspection_id, received_on=received)
    record_add(actor=actor, inspection_id=inspection_id, kind="appraisal", on=ended_on, text="Thống nhất với dự thảo.")
    return inspection_conclude(actor=actor, inspection_id=inspection_id, ended_on=ended_on, conclusion=conclusion,
                               **kw)
