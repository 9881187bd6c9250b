"""The API server's errors, carrying what a metav1.Status carries. kubectl's wording for them is
produced in one place: engine/kubectl/errors.py (`from_status`)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class StatusError(Exception):
    reason: str                      # metav1.StatusReason: NotFound, AlreadyExists, Invalid, ...
    code: int
    message: str                     # Status.message, as the server words it
    kind: str = ""                   # details.kind (Invalid: the kind named in "The Pod "x" is invalid")
    name: str = ""
    causes: list[str] = field(default_factory=list)    # details.causes, as "field: reason" lines

    def __post_init__(self) -> None:
        super().__init__(self.message)


def not_found(qualified: str, name: str) -> StatusError:
    return StatusError("NotFound", 404, f'{qualified} "{name}" not found', name=name)


def already_exists(qualified: str, name: str) -> StatusError:
    return StatusError("AlreadyExists", 409, f'{qualified} "{name}" already exists', name=name)


def invalid(group_kind: str, name: str, causes: list[str]) -> StatusError:
    causes = list(dict.fromkeys(causes))
    shown = causes[0] if len(causes) == 1 else "[" + ", ".join(causes) + "]"
    return StatusError("Invalid", 422, f'{group_kind} "{name}" is invalid: {shown}', kind=group_kind.split(".")[0],
                       name=name, causes=causes)


def bad_request(message: str) -> StatusError:
    return StatusError("BadRequest", 400, message)


def conflict(qualified: str, name: str, why: str) -> StatusError:
    return StatusError("Conflict", 409, f'Operation cannot be fulfilled on {qualified} "{name}": {why}', name=name)


def forbidden(qualified: str, name: str, why: str) -> StatusError:
    return StatusError("Forbidden", 403, f'{qualified} "{name}" is forbidden: {why}', name=name)


def method_not_allowed(message: str = "the server does not allow this method on the requested resource") -> StatusError:
    return StatusError("MethodNotAllowed", 405, message)


def internal(message: str) -> StatusError:
    """A failure with no reason (kubectl: `Error from server: …`)."""
    return StatusError("", 500, message)


def too_large() -> StatusError:
    """etcd refuses a value over its request limit; the server passes the error on (no reason)."""
    return internal("etcdserver: request is too large")


def cannot_decode(kind: str, api_version: str, detail: str) -> StatusError:
    version = api_version.rsplit("/", 1)[-1]
    return bad_request(f'{kind} in version "{version}" cannot be handled as a {kind}: {detail}')
