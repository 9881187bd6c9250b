"""apimachinery's resource.ParseQuantity, error for error (the API server decodes with it)."""
from __future__ import annotations

ERR_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
ERR_SUFFIX = "unable to parse quantity's suffix"
ERR_NUMERIC = "unable to parse numeric part of quantity"
_SUFFIXES = {"", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}
_DIGITS = "0123456789"


def _split(s: str) -> tuple[str, str | None]:
    """parseQuantityString: (suffix, error)."""
    pos, end = 0, len(s)
    if pos < end and s[0] in "+-":
        pos += 1
    while pos < end and s[pos] == "0":
        pos += 1
    if pos >= end:
        return "", None
    while pos < end and s[pos] in _DIGITS:
        pos += 1
    if pos >= end:
        return "", None
    if s[pos] == ".":
        pos += 1
        while pos < end and s[pos] in _DIGITS:
            pos += 1
        if pos >= end:
            return "", None
    start = pos
    while pos < end and s[pos] in "eEinumkKMGTP":
        pos += 1
    if pos >= end:
        return s[start:], None
    if s[pos] in "+-":
        pos += 1
    while pos < end and s[pos] in _DIGITS:
        pos += 1
    if pos >= end:
        return s[start:], None
    return "", ERR_FORMAT


def error(text: str) -> str | None:
    """None when `text` is a valid quantity, else ParseQuantity's error message."""
    if text == "":
        return ERR_FORMAT
    if text == "0":
        return None
    suffix, err = _split(text)
    if err:
        return err
    if suffix in _SUFFIXES:
        return None
    if len(suffix) > 1 and suffix[0] in "eE":
        digits = suffix[1:].lstrip("+-") if suffix[1] in "+-" else suffix[1:]
        if digits and all(c in _DIGITS for c in digits) and len(digits) < 19:
            return None
    return ERR_SUFFIX


def json_error(value) -> str | None:
    """Quantity.UnmarshalJSON on the JSON value kubectl sent (strings unquoted, then trimmed)."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        text = go_number(value)
    elif isinstance(value, str):
        text = value
    else:
        return ERR_FORMAT
    return error(text.strip(" \t\n\r\v\f"))


def go_number(value) -> str:
    """A JSON number as Go's encoding/json writes a float64/int64."""
    if isinstance(value, int):
        return str(value)
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mant, exp = text.split("e")
        sign = exp[0] if exp[0] in "+-" else "+"
        digits = exp.lstrip("+-").lstrip("0") or "0"
        text = f"{mant}e{sign}{digits.zfill(2)}"
    return text
