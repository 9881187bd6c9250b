"""kubectl's table layout: its printers' Go tabwriter (minwidth 6, padding 3, pad ' ').

Each column is as wide as its widest printed cell plus 3, and never narrower than 6; with
--no-headers the header is not printed, so it does not widen the columns either
(`nginx4   1/1   Terminating   0     12m`). The last cell of a line is not padded, unless it is
empty: then the cell before it keeps its padding, as Go's tabwriter does.
"""
from __future__ import annotations

from engine.tabwriter import align

PADDING = 3
MIN_WIDTH = 6


def render(headers: list[str], rows: list[list[str]], *, no_headers: bool = False) -> str:
    lines = list(rows) if no_headers else [headers] + list(rows)
    if not lines:
        return ""
    return align("\n".join("\t".join(cells) for cells in lines), padding=PADDING, minwidth=MIN_WIDTH)
