"""``benchmarks/bench_extract.py`` runs end to end and prints every figure it promises.

No timing is asserted: only that each evaluation article, the joined text and the
repeated sentence get a row with words, seconds and seconds per 1,000 words.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "bench_extract.py"
ARTICLES = ROOT / "tests" / "extraction_eval" / "articles"


def test_bench_extract_prints_a_row_per_text() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--repeat", "1", "--sentences", "20", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    rows = json.loads(done.stdout)
    names = {p.stem for p in ARTICLES.glob("*.txt")}
    assert names and names <= set(rows)
    assert {"all articles (sum)", "all articles joined", "one sentence x 20"} <= set(rows)
    assert rows["one sentence x 20"]["words"] == 20 * 19
    for row in rows.values():
        assert row["words"] > 0 and row["seconds"] >= 0
        assert row["s_per_1000_words"] == row["seconds"] / row["words"] * 1000
