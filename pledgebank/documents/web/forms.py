"""The "Attach a document" form."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice

from pledgebank.documents.models import KIND_NAMES, DocumentKind, Subject
from pledgebank.web.form_base import Form

# What each subject is usually supported by, first the likeliest.
KINDS_FOR: dict[Subject, tuple[DocumentKind, ...]] = {
    Subject.TREASURER_ENTRY: (DocumentKind.INVOICE, DocumentKind.RECEIPT, DocumentKind.BANK_STATEMENT),
    Subject.GRANT_PAYMENT: (DocumentKind.GRANT_EVIDENCE, DocumentKind.INVOICE, DocumentKind.BANK_STATEMENT),
    Subject.GRANT_REPORT: (DocumentKind.RECEIPT, DocumentKind.INVOICE, DocumentKind.GRANT_EVIDENCE),
}


def new_form_key() -> str:
    """A one-time key for one filling-in of the form: sending it twice attaches the file once."""
    return secrets.token_urlsafe(24)


class AttachForm(Form):
    """Choose the kind of document and the file."""

    form_key = HiddenField()
    kind = SelectField(_l("What it is"), choices=[], validate_choice=False)
    file = FileField(
        _l("The file"),
        description=_l("A PDF, PNG or JPEG file: a scan or photo of the paper, or the PDF you were sent."),
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"},
    )

    def __init__(self, subject: Subject, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(kind.value, KIND_NAMES[kind]) for kind in KINDS_FOR[subject]]


class WithdrawForm(Form):
    """Why the document is withdrawn."""

    reason = TextAreaField(
        _l("Why it is withdrawn"),
        description=_l("For example: the wrong invoice, or a clearer scan is attached instead."),
    )
