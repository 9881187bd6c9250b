"""kubectl's table layout, built with tabulate: left-aligned, 3-space gaps, no trailing spaces."""
from __future__ import annotations

import tabulate as _tabulate_module
from tabulate import DataRow, TableFormat, tabulate

_KUBECTL = TableFormat(lineabove=None, linebelowheader=None, linebetweenrows=None, linebelow=None,
                       headerrow=DataRow("", "   ", ""), datarow=DataRow("", "   ", ""),
                       padding=0, with_header_hide=None)


def render(headers: list[str], rows: list[list[str]], *, no_headers: bool = False) -> str:
    """kubectl's tabwriter: each column as wide as its widest cell plus 3 (header included,
    even with --no-headers); the last column unpadded unless it is empty (then the cell before
    keeps its padding, as Go's tabwriter does)."""
    if not rows and no_headers:
        return ""
    saved, _tabulate_module.MIN_PADDING = _tabulate_module.MIN_PADDING, 0   # headers get no extra room
    try:
        text = tabulate(rows or [[""] * len(headers)], headers=headers, tablefmt=_KUBECTL, stralign="left",
                        numalign="left", disable_numparse=True, missingval="")
    finally:
        _tabulate_module.MIN_PADDING = saved
    lines = text.split("\n")
    if not rows:
        lines = lines[:1]
    # Where the last column starts: a row ending in an empty cell keeps the padding up to there.
    last_start = sum(max(len(r[i]) for r in [headers] + rows) + 3 for i in range(len(headers) - 1))
    out = []
    for line, cells in zip(lines, [headers] + rows):
        line = line.rstrip(" ")
        if len(cells) > 1 and cells[-1] == "":
            line = line.ljust(last_start)
        out.append(line)
    if no_headers:
        out = out[1:]
    return "\n".join(out)
