"""Import every model module so the metadata is complete (Alembic and tests use this)."""

from pledgebank.accounts import models as accounts_models
from pledgebank.alerts import models as alerts_models
from pledgebank.books import fund_transfer_models, treasurer_models
from pledgebank.books import models as books_models
from pledgebank.db import Base
from pledgebank.exports import models as exports_models
from pledgebank.grants import models as grants_models
from pledgebank.levies import models as levies_models
from pledgebank.neighbourhoods import models as neighbourhoods_models
from pledgebank.payments import models as payments_models
from pledgebank.pledges import comment_models
from pledgebank.pledges import models as pledges_models
from pledgebank.tasks import models as tasks_models

metadata = Base.metadata

__all__ = [
    "accounts_models",
    "alerts_models",
    "books_models",
    "comment_models",
    "exports_models",
    "fund_transfer_models",
    "grants_models",
    "levies_models",
    "metadata",
    "neighbourhoods_models",
    "payments_models",
    "pledges_models",
    "tasks_models",
    "treasurer_models",
]
