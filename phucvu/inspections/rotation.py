"""Cross-inspection rotation (kiểm tra chéo): who inspects whom among peer agencies in a year.

Pure: no database. `rotation(ids, rounds, seed)` shuffles the peers once (by the seed) and, in round k,
has the agency at position i inspect the one at position i + k (mod n), for k = 1 … rounds. So in every
round each peer inspects exactly one other and is inspected by exactly one; nobody inspects itself (k is
never a multiple of n); and no pair of agencies meets twice in the year, in either direction, because the
shifts k and n − k are never both used (rounds ≤ (n − 1) // 2). docs/inspections.md §6.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from phucvu.core.exceptions import InvalidInput


def max_rounds(n: int) -> int:
    return max((n - 1) // 2, 0)


def rotation(ids: Sequence[int], rounds: int, seed: int = 0) -> list[list[tuple[int, int]]]:
    """`rounds` lists of (inspecting, inspected) pairs over the peers `ids`."""
    peers = list(dict.fromkeys(ids))
    if len(peers) < 3:
        raise InvalidInput("Cần ít nhất 3 đơn vị ngang cấp để kiểm tra chéo mà không cặp nào lặp lại.")
    if not 1 <= rounds <= max_rounds(len(peers)):
        raise InvalidInput(f"Với {len(peers)} đơn vị, số đợt kiểm tra chéo trong năm phải từ 1 đến "
                           f"{max_rounds(len(peers))} để không cặp nào lặp lại.")
    random.Random(seed).shuffle(peers)
    n = len(peers)
    return [[(peers[i], peers[(i + k) % n]) for i in range(n)] for k in range(1, rounds + 1)]
