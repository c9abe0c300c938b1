"""The one shape of an HTML write: check the form, do the work in one unit of work, then go on or say why not.

A route keeps only what is its own: the `work` (the service call), where to go when it is `done`, and the
`page` that shows the form again with a status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash, redirect
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from pledgebank.errors import DomainError
from pledgebank.web.forms import refused, show_errors
from pledgebank.web.session import transaction

Result = TypeVar("Result")


def submit(
    form: FlaskForm,
    work: Callable[[Session], Result],
    *,
    done: Callable[[Result], ResponseReturnValue],
    page: Callable[[int], ResponseReturnValue],
    guard: Callable[[], object] | None = None,
) -> ResponseReturnValue:
    """Answer a form, the same way on every page.

    - Not sent yet (a GET): `page(200)`.
    - A field is wrong: `guard()` first when given, so that someone who may not act here at all is refused
      (403) before being told what was wrong with the form (the work refuses them itself when the form is
      valid); then `page(422)`, with the errors beside the fields.
    - The work, run in one unit of work, raises a refusal (sign in, not allowed, not found): re-raised, so it
      is the app's page for it, as for any other request.
    - It raises another DomainError: nothing is written; its messages go beside the fields they name (or at
      the top of the form) and the status is the error's own: 409 for a clash with the current state
      (Conflict), 422 for bad input (InvalidInput). Decided by the error, never by `form.errors`, which
      WTForms fills with form-wide errors as well.
    - Otherwise `done(result)`, the work's result, after the commit.
    """
    if not form.is_submitted():
        return page(200)
    if not form.validate():
        if guard is not None:
            guard()
        return page(422)
    try:
        with transaction() as session:
            result = work(session)
    except DomainError as error:
        if refused(error):
            raise
        show_errors(form, error)
        return page(error.status)
    return done(result)


def go_to(url: str, message: str, category: str = "success") -> Callable[[object], Response]:
    """A `done` that says what happened and goes to url."""

    def done(_result: object) -> Response:
        flash(message, category)
        return redirect(url)

    return done
