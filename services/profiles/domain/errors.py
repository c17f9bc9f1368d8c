"""What the domain refuses, in terms an API error can name."""

from __future__ import annotations


class UnknownReferenceError(ValueError):
    """A field names something the hub's reference data does not know."""

    def __init__(self, field: str, value: str, what: str) -> None:
        super().__init__(f"unknown {what} {value!r}")
        self.field, self.value, self.what = field, value, what


class ContactDataError(ValueError):
    """A free-text field looks like contact data, which profiles and releases never hold."""

    def __init__(self, field: str, what: str) -> None:
        super().__init__(f"{field} looks like {what}; contact data is not accepted")
        self.field, self.what = field, what


class NotFoundError(LookupError):
    """No such resource, or one the caller may not see (existence is not revealed)."""

    def __init__(self, what: str, id_: object) -> None:
        super().__init__(f"{what} {id_} not found")


class ForbiddenError(PermissionError):
    """The caller is known but may not do this."""


class StateConflictError(ValueError):
    """The resource's state does not allow the change (e.g. updating a closed vacancy)."""


class VersionMismatchError(ValueError):
    """`If-Match` named another version than the current one."""

    def __init__(self, expected: int, current: int) -> None:
        super().__init__(f"If-Match names version {expected}; the current version is {current}")
        self.expected, self.current = expected, current


class IdempotencyConflictError(ValueError):
    """An Idempotency-Key was reused for a different request."""


class PreconditionRequiredError(ValueError):
    """A change came without `If-Match`."""

    def __init__(self) -> None:
        super().__init__("this change needs an If-Match header with the version (ETag) it edits")


def check_version(if_match: int | None, current: int) -> None:
    """Optimistic concurrency: the change must name the current version."""
    if if_match is None:
        raise PreconditionRequiredError
    if if_match != current:
        raise VersionMismatchError(if_match, current)
