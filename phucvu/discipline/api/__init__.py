"""Discipline API, one router per part (docs/discipline.md §1): tasks (docs/discipline.md §7) and emulation
(docs/discipline.md §5). Reads go through the one visibility rule, writes through the services and the one
authority table. Mounted at /api/discipline/."""

from __future__ import annotations

from ninja import Router

from phucvu.discipline.api.emulation import router as emulation_router
from phucvu.discipline.api.tasks import router as tasks_router

router = Router()
router.add_router("/tasks", tasks_router)
router.add_router("/emulation", emulation_router)
