"""Comments and questions on a pledge: members post and reply, the creator's replies are marked, the creator
is emailed; the committee hides one with a reason (audit log, the author told) and it is gone at once;
hostile words render safely; posting is rate-limited per person."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pledgebank.accounts.erasure import pseudonymise_user
from pledgebank.books.models import AuditEvent
from pledgebank.pledges.comment_models import PledgeComment
from tests.factories.pledges import make_pledge, quick_user
from tests.helpers.app import WHEN
from tests.helpers.social import in_session, place_with_pledge, text_of

HOSTILE = '<script>alert("x")</script><b>bold</b> ' + "W" * 400 + " مرحبا بالجيران"


def _comment(web, pledge_id: int, text: str, parent: int | None = None):
    form = {"comment": text}
    if parent is not None:
        form["parent_id"] = str(parent)
    return web.post(f"/p/{pledge_id}/comments", form)


def _ids(sessions, pledge_id: int) -> list[int]:
    return in_session(
        sessions,
        lambda s: list(s.scalars(select(PledgeComment.id).where(PledgeComment.pledge_id == pledge_id))),
    )


def test_a_member_asks_the_creator_is_emailed_and_the_creators_reply_is_marked(app, web, sessions, outbox):
    world = place_with_pledge(app, sessions)
    pledge = world["pledge"]
    _, priya = world["people"]["Priya Shah"]
    web.login(priya)
    response = _comment(web, pledge, "Will the new posts be treated wood?")
    assert response.status_code == 302
    (question,) = _ids(sessions, pledge)
    mail = outbox.last("chair@example.org")
    assert "Priya Shah" in mail.body and "treated wood" in mail.body
    assert mail.path("/p/") == f"/p/{pledge}"
    web.logout()

    web.login("chair@example.org")
    assert _comment(web, pledge, "Yes, pressure-treated.", parent=question).status_code == 302
    page = web.get(f"/p/{pledge}").get_data(as_text=True)
    thread = page.split(f'id="comment-{question}"')[1].split("</article>\n  </article>")[0]
    assert "Yes, pressure-treated." in thread
    assert "(created this pledge)" in thread
    assert len(outbox.to("chair@example.org")) == 1, "the creator is not emailed about their own reply"


def test_html_scripts_long_words_and_right_to_left_text_render_as_text(app, web, sessions):
    world = place_with_pledge(app, sessions)
    _, priya = world["people"]["Priya Shah"]
    web.login(priya)
    assert _comment(web, world["pledge"], HOSTILE).status_code == 302
    page = web.get(f"/p/{world['pledge']}").get_data(as_text=True)
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page
    assert '<p class="comment-body" dir="auto">' in page
    assert "مرحبا بالجيران" in page


def test_bad_comments_are_refused_beside_the_field_and_nothing_is_written(app, web, sessions):
    world = place_with_pledge(app, sessions)
    _, priya = world["people"]["Priya Shah"]
    web.login(priya)
    for text in ("", "   ", "x" * 2001):
        response = _comment(web, world["pledge"], text)
        assert response.status_code == 422, text[:10]
        assert 'id="comment-error"' in response.get_data(as_text=True)
    assert _comment(web, world["pledge"], "A reply to nothing", parent=999).status_code == 422
    assert _ids(sessions, world["pledge"]) == []


def test_only_members_comment(app, web, sessions):
    world = place_with_pledge(app, sessions)
    quick_user(sessions, "stranger@example.org", "Sam Stranger")
    web.login("stranger@example.org")
    assert _comment(web, world["pledge"], "Hello from elsewhere").status_code == 403
    web.logout()
    assert _comment(web, world["pledge"], "Anonymous").status_code in (302, 401)
    assert _ids(sessions, world["pledge"]) == []


def test_a_hidden_comment_and_its_replies_disappear_everywhere_with_the_reason_audited_and_the_author_told(
    app, web, sessions, outbox
):
    world = place_with_pledge(app, sessions)
    pledge = world["pledge"]
    _, priya = world["people"]["Priya Shah"]
    _, tom = world["people"]["Tom Okafor"]
    web.login(priya)
    _comment(web, pledge, "Number 12 never pays for anything.")
    (rude,) = _ids(sessions, pledge)
    web.logout()
    web.login(tom)
    _comment(web, pledge, "Agreed about number 12.", parent=rude)
    _comment(web, pledge, "Count me in for the fence.")
    assert web.post(f"/p/{pledge}/comments/{rude}/hide", {"reason": "Not yours"}).status_code == 403
    web.logout()

    web.login("chair@example.org")
    other = make_pledge(app, world["slug"], world["chair"], title="Plant bulbs on the green")
    assert web.post(f"/p/{other}/comments/{rude}/hide", {"reason": "Wrong pledge"}).status_code == 404
    refused = web.post(f"/p/{pledge}/comments/{rude}/hide", {"reason": ""})
    assert refused.status_code == 422
    assert f'id="reason-{rude}-error"' in refused.get_data(as_text=True)
    assert "Number 12" in text_of(web.get(f"/p/{pledge}"))
    response = web.post(f"/p/{pledge}/comments/{rude}/hide", {"reason": "It names a household."})
    assert response.status_code == 302
    for who in ("chair@example.org", None, tom):
        web.logout()
        if who:
            web.login(who)
        text = text_of(web.get(f"/p/{pledge}"))
        assert "Number 12" not in text and "number 12" not in text, who
        assert "Count me in for the fence." in text
    told = outbox.last(priya)
    assert "hidden" in told.subject and "It names a household." in told.body
    events = in_session(
        sessions,
        lambda s: [(e.action, e.subject_id, e.reason) for e in s.scalars(select(AuditEvent))],
    )
    assert ("comment.hidden", str(rude), "It names a household.") in events


class TestRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        """A low limit, so that the test needs only a few posts."""
        return {**app_config, "RATELIMIT_COMMENTS": "2 per minute"}

    def test_a_person_posting_too_often_is_limited_and_others_are_not(self, app, web, sessions):
        world = place_with_pledge(app, sessions)
        _, priya = world["people"]["Priya Shah"]
        _, tom = world["people"]["Tom Okafor"]
        web.login(priya)
        statuses = [_comment(web, world["pledge"], f"Thought {n}").status_code for n in range(3)]
        assert statuses == [302, 302, 429]
        web.logout()
        web.login(tom)  # the same client address: the limit is the person's, not the address's
        assert _comment(web, world["pledge"], "My first thought").status_code == 302
        assert len(_ids(sessions, world["pledge"])) == 3


def test_the_comments_of_a_person_who_closed_their_account_go_with_it(app, web, sessions):
    world = place_with_pledge(app, sessions)
    priya_id, priya = world["people"]["Priya Shah"]
    web.login(priya)
    _comment(web, world["pledge"], "Happy to dig post holes on Saturday.")
    web.logout()
    assert "post holes" in text_of(web.get(f"/p/{world['pledge']}"))
    in_session(sessions, lambda s: pseudonymise_user(s, priya_id, now=WHEN))
    assert "post holes" not in text_of(web.get(f"/p/{world['pledge']}"))
    bodies = in_session(sessions, lambda s: list(s.scalars(select(PledgeComment.body))))
    assert bodies == [""]
