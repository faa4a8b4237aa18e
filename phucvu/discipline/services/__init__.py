"""Every write of discipline, one module per part (docs/discipline.md): `commitments`, `breaches`, `cases`.

New code imports a service from its module (`from phucvu.discipline.services.cases import …`). The names
below are re-exported for the callers written before the split; add no new ones here.
"""

from phucvu.discipline.services.breaches import violation_record
from phucvu.discipline.services.cases import sanction_decide
from phucvu.discipline.services.commitments import commitment_sign

__all__ = ["commitment_sign", "sanction_decide", "violation_record"]
