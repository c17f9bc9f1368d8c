"""What the domain refuses, in terms an API error can name."""

from __future__ import annotations


class UnknownReferenceError(ValueError):
    """A field names something the hub's reference data does not know."""

    def __init__(self, field: str, value: str, what: str) -> None:
        super().__init__(f"unknown {what} {value!r}")
        self.field, self.value, self.what = field, value, what
