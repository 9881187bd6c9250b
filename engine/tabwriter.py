"""Go's text/tabwriter, as kubectl describe uses it (minwidth 0, padding 2, pad ' ').

Cells end with a tab; the last cell of a line is not aligned. A column's width is set per
block of consecutive lines that have a cell in that column, as in Go.
"""
from __future__ import annotations


def align(text: str, padding: int = 2, minwidth: int = 0) -> str:
    lines = [line.split("\t") for line in text.split("\n")]
    out = [[] for _ in lines]
    _format(lines, out, padding, minwidth)
    return "\n".join("".join(parts) for parts in out)


def _format(lines, out, padding, minwidth):
    """Port of tabwriter.format, with its recursion (one level per column) turned into a stack:
    a table of a thousand columns (`get -L a,a,…`) must not exhaust Python's stack. Each block's
    next column touches only that block's lines, so the order the blocks are done in is free."""
    stack = [(0, 0, len(lines))]            # (col, start, end): lines[start:end] reach column col
    while stack:
        col, start, end = stack.pop()
        i = start
        while i < end:
            if len(lines[i]) - 1 > col:         # line i has a tab-terminated cell at col: a block starts
                j = i
                width = minwidth
                while j < end and len(lines[j]) - 1 > col:
                    width = max(width, len(lines[j][col]) + padding)
                    j += 1
                for k in range(i, j):
                    out[k].append(lines[k][col].ljust(width))
                stack.append((col + 1, i, j))
                i = j
            else:
                out[i].append(lines[i][col] if col < len(lines[i]) else "")
                i += 1
