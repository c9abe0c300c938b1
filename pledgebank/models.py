"""Import every model module so the metadata is complete (Alembic and tests use this)."""

from pledgebank.accounts import models as accounts_models
from pledgebank.alerts import models as alerts_models
from pledgebank.books import fund_transfer_models, treasurer_models
from pledgebank.books import models as books_models
from pledgebank.db import Base
from pledgebank.dividends import models as dividends_models
from pledgebank.documents import models as documents_models
from pledgebank.examiners import models as examiners_models
from pledgebank.exports import models as exports_models
from pledgebank.giftaid import models as giftaid_models
from pledgebank.grants import models as grants_models
from pledgebank.levies import models as levies_models
from pledgebank.neighbourhoods import models as neighbourhoods_models
from pledgebank.payments import models as payments_models
from pledgebank.pledges import comment_models
from pledgebank.pledges import models as pledges_models
from pledgebank.pulse import models as pulse_models
from pledgebank.sms import models as sms_models
from pledgebank.statements import models as statements_models
from pledgebank.tasks import models as tasks_models

metadata = Base.metadata

__all__ = [
    "accounts_models",
    "alerts_models",
    "books_models",
    "comment_models",
    "dividends_models",
    "documents_models",
    "examiners_models",
    "exports_models",
    "fund_transfer_models",
    "giftaid_models",
    "grants_models",
    "levies_models",
    "metadata",
    "neighbourhoods_models",
    "payments_models",
    "pledges_models",
    "pulse_models",
    "sms_models",
    "statements_models",
    "tasks_models",
    "treasurer_models",
]
