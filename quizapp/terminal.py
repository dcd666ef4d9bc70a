"""Text for a terminal: names that cannot drive it, and columns that line up."""

from __future__ import annotations

import re
from collections.abc import Sequence

# C0/C1 controls (ESC and CSI start terminal escape codes) and the
# bidirectional overrides: names are printed with these shown as escapes.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(value: object) -> str:
    """``value`` as text that cannot drive the terminal (control codes as ``\\x1b``)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(value))


def table(header: Sequence[str], rows: Sequence[Sequence[object]],
          right: frozenset[int] = frozenset()) -> list[str]:
    """Lines of a table whose columns are as wide as their widest cell.

    Columns whose index is in ``right`` are aligned right (numbers); the last
    column is not padded, so no line ends in spaces.
    """
    cells = [[shown(c) for c in header]] + [[shown(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for r in cells:
        parts = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(r, widths, strict=True))]
        lines.append("  ".join(parts).rstrip())
    return lines
