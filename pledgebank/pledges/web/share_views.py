"""Sharing a pledge: its sentence and share links for the pledge pages, the short link, and the flyer.

Every link that leaves the site (share links, the short URL, the QR code) is built from the configured
PLEDGEBANK_BASE_URL, never from the request's Host header.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, redirect, render_template, request
from markupsafe import Markup

from pledgebank.errors import NotFound
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.pledges import services, share
from pledgebank.pledges.codes import is_short_code
from pledgebank.pledges.flyer import qr_svg
from pledgebank.pledges.models import Pledge
from pledgebank.pledges.web.blueprint import bp
from pledgebank.web.auth import current_user_id
from pledgebank.web.filters import short_money
from pledgebank.web.mailer import absolute_url
from pledgebank.web.session import db_session, now

LAYOUTS = ("a4", "a5")


@dataclass(frozen=True, slots=True)
class Sharing:
    """What the pledge page, its meta tags and the flyer need to spread a pledge."""

    sentence: str
    page_url: str
    short_url: str
    links: list[share.ShareLink]


@bp.app_template_global("pledge_sentence")
def pledge_sentence(pledge: Pledge) -> str:
    """The pledge in one sentence, with its creator named."""
    creator = share.creator_name(db_session(), pledge)
    return share.sentence(pledge, creator, lambda amount: short_money(amount, pledge.currency))


def short_url(pledge: Pledge) -> str:
    """The pledge's short link under the configured base URL (the pledge page when it has no code)."""
    if pledge.short_code:
        return absolute_url("pledges.short_link", code=pledge.short_code)
    return absolute_url("pledges.show", pledge_id=pledge.id)


@bp.app_template_global("pledge_sharing")
def pledge_sharing(pledge: Pledge) -> Sharing:
    """The sentence, the page's and short link's addresses and the share links."""
    sentence = pledge_sentence(pledge)
    link = short_url(pledge)
    return Sharing(
        sentence=sentence,
        page_url=absolute_url("pledges.show", pledge_id=pledge.id),
        short_url=link,
        links=share.share_links(url=link, title=pledge.title, text=sentence),
    )


@bp.app_template_global("pledge_creator")
def pledge_creator(pledge: Pledge, neighbourhood: Neighbourhood) -> share.CreatorProfile:
    """The creator's short public profile."""
    return share.creator_profile(db_session(), pledge, neighbourhood.name)


@bp.get("/p/<code>")
def short_link(code: str):
    """The short link: on to the pledge page (under the configured base URL)."""
    if not is_short_code(code):
        abort(404)  # not a short link's shape: the site's ordinary "no page at this address"
    session = db_session()
    pledge = share.pledge_by_code(session, code)
    if not services.visible_to(session, pledge, current_user_id()):
        raise NotFound("There is no pledge at this short link.")
    return redirect(absolute_url("pledges.show", pledge_id=pledge.id), code=302)


@bp.get("/p/<int:pledge_id>/flyer")
def flyer(pledge_id: int):
    """A printable flyer: one A4 page, or two A5 flyers on one A4 sheet (?layout=a5)."""
    session = db_session()
    pledge = services.get_pledge(session, pledge_id)
    if not services.visible_to(session, pledge, current_user_id()):
        raise NotFound("There is no such pledge.")
    layout = request.args.get("layout", "a4")
    if layout not in LAYOUTS:
        layout = "a4"
    sharing = pledge_sharing(pledge)
    qr: Markup = qr_svg(sharing.short_url, f"QR code for {sharing.short_url}")
    return render_template(
        "pledges/flyer.html",
        pledge=pledge,
        neighbourhood=session.get_one(Neighbourhood, pledge.neighbourhood_id),
        sharing=sharing,
        qr=qr,
        layout=layout,
        copies=2 if layout == "a5" else 1,
        strips=6 if layout == "a4" else 4,
        now=now(),
    )
