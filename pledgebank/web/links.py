"""Where a line of the books leads: its pledge, levy, grant, dividend agreement or fund page (money page and
audit log)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from pledgebank.books.wording import Link


def link_url(link: Link | None, slug: str, sequence: int) -> str:
    """Where a line leads: its pledge, levy, grant or fund, or else the transaction's own page."""
    if link is None:
        return url_for("money.transaction", slug=slug, sequence=sequence)
    if link.kind == "pledge":
        return url_for("pledges.show", pledge_id=link.ref)
    if link.kind == "levy":
        return url_for("levies.show", levy_id=link.ref)
    if link.kind == "grant":
        return url_for("grants.index", slug=slug, _anchor=f"grant-{link.ref}")
    if link.kind == "dividend":
        return url_for("dividends.show", slug=slug, agreement_id=link.ref)
    return url_for("money.fund_page", slug=slug, fund=link.ref)


def link_label(link: Link | None) -> str:
    """The words of a line's link."""
    labels = {
        "pledge": _("The pledge"),
        "levy": _("The levy"),
        "grant": _("The grant"),
        "fund": _("The fund"),
    }
    labels["dividend"] = _("The agreement")  # a community dividend agreement
    return labels.get(link.kind if link else "", _("The transaction"))
