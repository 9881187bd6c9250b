"""API-server name validation, with apimachinery's exact messages."""
from __future__ import annotations

import re

_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")

SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                 "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                 "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
             "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
             "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1035_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
               "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
               "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")


def go_quote(text: str) -> str:
    """Go's %q (strconv.Quote): how kubectl quotes user input inside its messages."""
    escapes = {'"': '\\"', "\\": "\\\\", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
               "\t": "\\t", "\v": "\\v"}
    out = []
    for ch in text:
        if ch in escapes:
            out.append(escapes[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
QUALIFIED_NAME_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                      "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation "
                      "is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
LABEL_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
                   "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
                   "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
TOTAL_ANNOTATION_BYTES = 256 * 1024


def qualified_name(value: str) -> list[str]:
    """IsQualifiedName: `[prefix/]name`, the prefix a DNS subdomain."""
    parts = value.split("/")
    if len(parts) > 2:
        return ["a qualified name " + QUALIFIED_NAME_MSG + " with an optional DNS subdomain prefix and '/' "
                "(e.g. 'example.com/MyName')"]
    errs = []
    if len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        elif len(prefix) > 253 or not _SUBDOMAIN.match(prefix):
            errs.append("prefix part " + SUBDOMAIN_MSG)
    else:
        name = parts[0]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part must be no more than 63 characters")
    if name and not QUALIFIED_NAME.match(name):
        errs.append("name part " + QUALIFIED_NAME_MSG)
    return errs


def label_value(value: str) -> list[str]:
    errs = ["must be no more than 63 characters"] if len(value) > 63 else []
    if not LABEL_VALUE.match(value):
        errs.append(LABEL_VALUE_MSG)
    return errs


def object_meta_labels(field: str, labels) -> list[str]:
    """ValidateLabels (keys in sorted order: Go's map order is random, this one is stable)."""
    errs = []
    for key in sorted(labels or {}):
        errs += [f"{field}: Invalid value: {go_quote(key)}: {m}" for m in qualified_name(key)]
        value = labels[key]
        if isinstance(value, str):
            errs += [f"{field}: Invalid value: {go_quote(value)}: {m}" for m in label_value(value)]
    return errs


def annotations(field: str, values) -> list[str]:
    """ValidateAnnotations: qualified keys (compared lower-cased), 256 KiB in all."""
    errs = []
    total = 0
    for key in sorted(values or {}):
        errs += [f"{field}: Invalid value: {go_quote(key)}: {m}" for m in qualified_name(key.lower())]
        total += len(key) + len(str(values[key]))
    if total > TOTAL_ANNOTATION_BYTES:
        errs.append(f"{field}: Too long: must have at most {TOTAL_ANNOTATION_BYTES} bytes")
    return errs


def _name_errors(field: str, value: str, limit: int, pattern, message: str) -> list[str]:
    errs = []
    if len(value) > limit:
        errs.append(f"{field}: Invalid value: {go_quote(value)}: must be no more than {limit} characters")
    if not pattern.match(value):
        errs.append(f"{field}: Invalid value: {go_quote(value)}: {message}")
    return errs


def subdomain(field: str, value: str) -> list[str]:
    return _name_errors(field, value, 253, _SUBDOMAIN, SUBDOMAIN_MSG)


def label(field: str, value: str) -> list[str]:
    return _name_errors(field, value, 63, _LABEL, LABEL_MSG)


def dns1035(field: str, value: str) -> list[str]:
    return _name_errors(field, value, 63, _DNS1035, DNS1035_MSG)


def container_port(field: str, port: int) -> list[str]:
    """ValidateContainerPorts: 0 is a missing value, anything else must be a valid port number."""
    if port == 0:
        return [f"{field}: Required value"]
    if not 1 <= port <= 65535:
        return [f"{field}: Invalid value: {port}: must be between 1 and 65535, inclusive"]
    return []


def port_name(value: str) -> list[str]:
    """IsValidPortName (an IANA service name), with apimachinery's messages."""
    errs = []
    if len(value) > 15:
        errs.append("must be no more than 15 characters")
    if not re.match(r"^[-a-z0-9]+$", value):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search(r"[a-z]", value):
        errs.append("must contain at least one letter (a-z)")
    if "--" in value:
        errs.append("must not contain consecutive hyphens")
    if value.startswith("-") or value.endswith("-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def invalid(kind: str, name: str, errors: list[str]) -> str:
    """The server's Invalid error as kubectl prints it: one cause inline, several as a list."""
    if len(errors) == 1:
        return f"The {kind} {go_quote(name)} is invalid: {errors[0]}"
    return f"The {kind} {go_quote(name)} is invalid: \n" + "\n".join(f"* {e}" for e in errors)
