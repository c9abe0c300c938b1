"""Domain errors with business names; the web layer maps each to one HTML page and one JSON body."""

from __future__ import annotations

from collections.abc import Mapping

from pledgebank.text import _t


class DomainError(Exception):
    """A request that the rules of the service refuse; never a bug."""

    status = 400
    code = "bad_request"
    default_message: str = _t("That request could not be carried out.")

    def __init__(self, message: str | None = None, *, fields: Mapping[str, list[str]] | None = None) -> None:
        self.message = message or self.default_message
        self.fields = {name: list(errors) for name, errors in (fields or {}).items()}
        super().__init__(self.message)


class InvalidInput(DomainError):
    """Input that fails validation; fields name what is wrong."""

    status = 422
    code = "invalid_input"
    default_message: str = _t("Some of the information given is not valid.")

    @classmethod
    def field(cls, name: str, message: str) -> InvalidInput:
        """Build the error for a single field."""
        return cls(message, fields={name: [message]})


class NotAuthenticated(DomainError):
    """The action needs a signed-in user."""

    status = 401
    code = "not_authenticated"
    default_message: str = _t("Please sign in to do that.")


class Forbidden(DomainError):
    """The acting user may not do this here."""

    status = 403
    code = "forbidden"
    default_message: str = _t("You do not have permission to do that.")


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to this user)."""

    status = 404
    code = "not_found"
    default_message: str = _t("We could not find that.")


class Conflict(DomainError):
    """The request clashes with the current state."""

    status = 409
    code = "conflict"
    default_message: str = _t("That clashes with the current state; reload and try again.")


class LastChair(Conflict):
    """A neighbourhood must always keep at least one chair."""

    code = "last_chair"
    default_message: str = _t("A neighbourhood must keep at least one chair.")


class EmailNotVerified(Forbidden):
    """The action needs a verified email address."""

    code = "email_not_verified"
    default_message: str = _t("Please verify your email address first.")
