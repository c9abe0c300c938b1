"""Signers: an opt-in public list on the pledge page, chosen when pledging and changeable; the count always
public; people who closed their account never listed."""

from __future__ import annotations

import re

from pledgebank.accounts.erasure import pseudonymise_user
from pledgebank.pledges.models import PledgeSignup
from tests.helpers.app import WHEN
from tests.helpers.social import in_session, place_with_pledge, text_of


def _pledge_as(web, address: str, pledge_id: int, shown_as: str | None):
    web.login(address)
    form = {"method": "cash"}
    if shown_as is not None:
        form["shown_as"] = shown_as
    response = web.post(f"/p/{pledge_id}/pledge", form)
    web.logout()
    return response


def test_signers_choose_to_be_listed_by_name_or_as_a_neighbour_and_the_count_is_always_shown(
    app, web, sessions
):
    world = place_with_pledge(app, sessions)
    pledge = world["pledge"]
    (_, priya), (_, tom), (_, lena) = world["people"].values()
    assert _pledge_as(web, priya, pledge, "name").status_code == 302
    assert _pledge_as(web, tom, pledge, "neighbour").status_code == 302
    assert _pledge_as(web, lena, pledge, "hidden").status_code == 302

    page = web.get(f"/p/{pledge}")
    text = text_of(page)
    assert "3 people have pledged" in text
    listed = page.get_data(as_text=True).split('id="signer-list"')[1].split("</ul>")[0]
    assert "Priya S." in listed and "a neighbour" in listed
    assert "Tom" not in listed and "Lena" not in listed and "Priya Shah" not in listed


def test_the_list_is_opt_in_a_pledge_without_a_choice_is_counted_only(app, web, sessions):
    world = place_with_pledge(app, sessions)
    (_, priya) = next(iter(world["people"].values()))
    web.login(priya)
    page = web.get(f"/p/{world['pledge']}").get_data(as_text=True)
    checked = re.findall(r'<input checked id="shown_as-\d" name="shown_as"[^>]*value="(\w+)"', page)
    assert checked == ["hidden"]
    web.logout()
    assert _pledge_as(web, priya, world["pledge"], None).status_code == 302
    text = text_of(web.get(f"/p/{world['pledge']}"))
    assert "1 person has pledged" in text
    assert "Priya" not in text


def test_a_signer_changes_how_they_appear_and_only_their_own(app, web, sessions):
    world = place_with_pledge(app, sessions)
    pledge = world["pledge"]
    (priya_id, priya), (_, tom) = list(world["people"].values())[:2]
    _pledge_as(web, priya, pledge, "hidden")
    web.login(priya)
    assert web.post(f"/p/{pledge}/signer", {"shown_as": "name"}).status_code == 302
    assert "Priya S." in text_of(web.get(f"/p/{pledge}"))
    bad = web.post(f"/p/{pledge}/signer", {"shown_as": "everyone"})
    assert bad.status_code == 422
    assert 'id="shown_as-error"' in bad.get_data(as_text=True)
    web.logout()

    web.login(tom)  # has not pledged: nothing of his to change
    assert web.post(f"/p/{pledge}/signer", {"shown_as": "name"}).status_code == 409
    shown = in_session(
        sessions,
        lambda s: {row.user_id: row.shown_as for row in s.query(PledgeSignup).filter_by(pledge_id=pledge)},
    )
    assert shown == {priya_id: "name"}


def test_a_person_who_closed_their_account_is_never_listed_but_still_counted(app, web, sessions):
    world = place_with_pledge(app, sessions)
    pledge = world["pledge"]
    (priya_id, priya) = next(iter(world["people"].values()))
    _pledge_as(web, priya, pledge, "name")
    assert "Priya S." in text_of(web.get(f"/p/{pledge}"))
    in_session(sessions, lambda s: pseudonymise_user(s, priya_id, now=WHEN))
    text = text_of(web.get(f"/p/{pledge}"))
    assert "Priya" not in text and "Former member" not in text
    assert "1 person has pledged" in text
