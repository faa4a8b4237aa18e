"""The public catalogue's ranked search over a large catalogue, in memory (no database).

The demo's 107 procedures repeated with variants to BENCH_CATALOGUE_SIZE (default 2,140, about a province's
catalogue): the time to build the vocabulary and each procedure's folded words (done once per catalogue
change, `catalog.selectors._searchable`), then the median time of one query over all of them.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import time
from pathlib import Path

from phucvu.catalog import search
from phucvu.core.text import fold

SIZE = int(os.environ.get("BENCH_CATALOGUE_SIZE", "2140"))
QUERIES = ["làm giấy khai sinh", "chứng thực", "xin cấp phép xây dựng", "dangkykethon", "thực phẩm", "khai s"]
CSV = Path(__file__).resolve().parent.parent / "phucvu/demo/data/quangninh-2017/procedures.csv"


def main() -> None:
    with CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rng = random.Random(1)
    suffixes = ["cấp tỉnh", "cấp huyện", "cấp xã", "có yếu tố nước ngoài", ""]
    catalogue = [(f"{r['name']} {rng.choice(suffixes)}", r["field"], f"{r['code']}.{i}")
                 for i in range(SIZE // len(rows) + 1) for r in rows][:SIZE]
    started = time.perf_counter()
    vocabulary = search.Vocabulary.of([n for n, _, _ in catalogue] + [f for _, f, _ in catalogue])
    folded = [(search.words(n), search.words(f), fold(c)) for n, f, c in catalogue]
    built = time.perf_counter() - started
    times = []
    for _ in range(10):
        for query in QUERIES:
            t = time.perf_counter()
            parsed = search.parse(query, vocabulary)
            [search.score_words(parsed, *w) for w in folded]
            times.append(time.perf_counter() - t)
    print(f"   {len(catalogue)} procedures: vocabulary and folded words {built * 1000:.0f} ms (once per change); "
          f"one query, median {statistics.median(times) * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms")
