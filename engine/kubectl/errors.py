"""kubectl's error wording, in one place (cmdutil.CheckErr / StandardErrorMessage)."""
from __future__ import annotations

from engine.validation import go_quote  # noqa: F401 - kubectl quotes user input as the server does


class KubectlError(Exception):
    """An error printed verbatim (already in kubectl's words), exit code 1."""

    def __init__(self, text: str, rc: int = 1):
        super().__init__(text)
        self.text = text
        self.rc = rc


def usage_error(command: str, message: str) -> KubectlError:
    return KubectlError(f"error: {message}\nSee 'kubectl {command} -h' for help and examples")


def flag_error(command: str, message: str) -> KubectlError:
    return KubectlError(f"Error: {message}\nSee 'kubectl {command} --help' for usage.")


def not_found(resource: str, name: str) -> str:
    from engine.apiserver import errors
    return from_status(errors.not_found(resource, name)).text


def already_exists(resource: str, name: str) -> str:
    from engine.apiserver import errors
    return from_status(errors.already_exists(resource, name)).text


def unknown_type(name: str) -> KubectlError:
    return KubectlError(f'error: the server doesn\'t have a resource type "{name}"')


def from_status(err, context: str = "") -> KubectlError:
    """kubectl's cmdutil.CheckErr for an API error: Invalid from its details (the `error when
    creating "x"` context is not shown), causes as a multi-line list; otherwise
    `Error from server (Reason): [context]message` (no reason: `Error from server: …`)."""
    if err.reason == "Invalid":
        head = f'The {err.kind} "{err.name}" is invalid' if err.kind or err.name else "The request is invalid"
        if len(err.causes) == 1:
            return KubectlError(f"{head}: {err.causes[0]}")
        return KubectlError(f"{head}: \n" + "\n".join(f"* {c}" for c in err.causes))
    reason = f" ({err.reason})" if err.reason else ""
    return KubectlError(f"Error from server{reason}: {context}{err.message}")
