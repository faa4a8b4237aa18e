"""Every read of discipline, one module per part (docs/discipline.md): `breaches` so far.

Each selector is scoped by the one visibility rule (`organization.selectors.visible_agencies`). New code
imports a selector from its module; the name below is re-exported for the callers written before the split.
"""

from phucvu.discipline.selectors.breaches import violation_list

__all__ = ["violation_list"]
