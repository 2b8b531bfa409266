"""The errors the specification raises, carrying the spec step that raised them.

Every error is one of two Python types: `DOMException`, whose `name` is the spec's DOMException name
(InvalidStateError, InvalidModificationError, ...), and `WebIDLTypeError`, the ECMAScript TypeError that
WebIDL conversion (or an explicit spec step) throws. Both record *how* the caller sees them: thrown
synchronously, or as the rejection of a returned promise. The model runs promise-returning methods
synchronously (see NOTES.md, "Promises"), so a rejection is raised with ``kind="reject"``.
"""

from __future__ import annotations

from typing import Literal

ErrorKind = Literal["throw", "reject"]

DOMEXCEPTION_NAMES = frozenset(
    {
        "InvalidStateError",
        "InvalidModificationError",
        "InvalidAccessError",
        "SyntaxError",
        "NotSupportedError",
        "OperationError",
        "UnknownError",
    }
)


class SpecError(Exception):
    """Base of every error the spec raises. `name` is what `error.name` is in JavaScript."""

    name: str

    def __init__(self, name: str, *, spec: str, kind: ErrorKind = "throw", message: str = "") -> None:
        self.name = name
        self.spec = spec
        self.kind: ErrorKind = kind
        self.message = message
        super().__init__(self.describe())

    def describe(self) -> str:
        verb = "throws" if self.kind == "throw" else "rejects with"
        text = f"{verb} {self.name} ({self.spec})"
        return f"{text}: {self.message}" if self.message else text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, spec={self.spec!r}, kind={self.kind!r})"


class DOMException(SpecError):
    """A DOMException with one of the spec's names. `detail` holds RTCError's errorDetail, if any."""

    def __init__(
        self,
        name: str,
        *,
        spec: str,
        kind: ErrorKind = "throw",
        message: str = "",
        detail: str | None = None,
    ) -> None:
        if name not in DOMEXCEPTION_NAMES:
            raise ValueError(f"not a DOMException name the model uses: {name!r}")
        self.detail = detail
        super().__init__(name, spec=spec, kind=kind, message=message)


class WebIDLTypeError(SpecError):
    """The ECMAScript TypeError, thrown by WebIDL conversion or by a spec step that says 'throw a TypeError'."""

    def __init__(self, *, spec: str, kind: ErrorKind = "throw", message: str = "") -> None:
        super().__init__("TypeError", spec=spec, kind=kind, message=message)


def InvalidStateError(spec: str, message: str = "", kind: ErrorKind = "throw") -> DOMException:
    return DOMException("InvalidStateError", spec=spec, message=message, kind=kind)


def InvalidModificationError(spec: str, message: str = "", kind: ErrorKind = "throw") -> DOMException:
    return DOMException("InvalidModificationError", spec=spec, message=message, kind=kind)


def InvalidAccessError(spec: str, message: str = "", kind: ErrorKind = "throw") -> DOMException:
    return DOMException("InvalidAccessError", spec=spec, message=message, kind=kind)


def SyntaxError_(spec: str, message: str = "", kind: ErrorKind = "throw") -> DOMException:
    """DOMException "SyntaxError" (the trailing underscore keeps Python's own SyntaxError visible)."""
    return DOMException("SyntaxError", spec=spec, message=message, kind=kind)


def NotSupportedError(spec: str, message: str = "", kind: ErrorKind = "throw") -> DOMException:
    return DOMException("NotSupportedError", spec=spec, message=message, kind=kind)


def OperationError(spec: str, message: str = "", kind: ErrorKind = "throw", detail: str | None = None) -> DOMException:
    return DOMException("OperationError", spec=spec, message=message, kind=kind, detail=detail)


def TypeError_(spec: str, message: str = "", kind: ErrorKind = "throw") -> WebIDLTypeError:
    """ECMAScript TypeError (the trailing underscore keeps Python's own TypeError visible)."""
    return WebIDLTypeError(spec=spec, message=message, kind=kind)
