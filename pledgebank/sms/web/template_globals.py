"""What other features' pages show of texting: how to pledge to a pledge by text."""

from __future__ import annotations

from pledgebank.sms import phones, settings
from pledgebank.sms.web.blueprint import bp
from pledgebank.web.session import db_session


@bp.app_template_global("text_pledging")
def text_pledging(pledge_id: int, neighbourhood_id: int) -> dict[str, str] | None:
    """The keyword and number to text to pledge to the pledge, when it has both."""
    session = db_session()
    keyword = settings.keyword_of(session, pledge_id)
    number = settings.number_of(session, neighbourhood_id)
    if keyword is None or number is None:
        return None
    return {"keyword": keyword.keyword, "number": phones.shown(number.number)}
