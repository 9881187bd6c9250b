"""tabulate, imported when a table is first drawn: most processes (a console answering `!k get
nodes`, an engine worker) never draw one, and the import is a sixth of a console's start."""
from __future__ import annotations


def tabulate(*args, **kwargs) -> str:
    from tabulate import tabulate as draw
    return draw(*args, **kwargs)
