"""`phucvu import staff | evaluation-scores | sanctions FILE`, registered with core's importer registry
from `apps.py`; one module per part (docs/discipline.md §1)."""
