"""Pictures for chat (`!map`, `!class`, `!progress`): matplotlib with the Agg backend (no display, no
pyplot state) and a font that has Hangul, NanumGothic (OFL), shipped by the `koreanize-matplotlib`
package. We only take its font file: importing that package would change matplotlib's settings.

    fig = figure(8, 5); ax = fig.add_axes(...); …; data = png(fig)
"""
from __future__ import annotations

import importlib.util
import io
from functools import lru_cache
from pathlib import Path

FONT_FILE = "NanumGothic.ttf"
DPI = 100


@lru_cache(maxsize=1)
def font_path() -> Path:
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("koreanize-matplotlib (the Hangul font) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "fonts" / FONT_FILE


@lru_cache(maxsize=1)
def font():
    """The FontProperties every text of every picture uses."""
    from matplotlib import font_manager
    return font_manager.FontProperties(fname=str(font_path()))


@lru_cache(maxsize=1)
def _charmap() -> frozenset[int]:
    from matplotlib.ft2font import FT2Font
    return frozenset(FT2Font(str(font_path())).get_charmap())


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` the font cannot draw (they would come out as tofu boxes)."""
    return {c for c in text if not c.isspace() and ord(c) not in _charmap()}


def figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def png(fig) -> bytes:
    out = io.BytesIO()
    # zlib's fastest level: the default spends more time compressing than drawing (the file stays < 200 kB)
    fig.canvas.print_png(out, pil_kwargs={"compress_level": 1})
    return out.getvalue()
