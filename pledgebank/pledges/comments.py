"""Comments and questions on a pledge from members, replies (the creator's marked), and the committee
hiding one with a reason: kept in the audit log, the author told, and gone from every page at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.books.audit import record_event
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.neighbourhoods.reach import reach
from pledgebank.outbox import Email, send_after_commit
from pledgebank.pledges.comment_models import PledgeComment
from pledgebank.pledges.models import Pledge
from pledgebank.policy import Action, require
from pledgebank.text import _t

MAX_LENGTH = 2000


@dataclass(slots=True)
class Shown:
    """A visible comment with its author's name, whether the author created the pledge, and its replies."""

    comment: PledgeComment
    author: str
    by_creator: bool
    replies: list[Shown] = field(default_factory=list)


def _body(text: str | None) -> str:
    body = (text or "").replace("\r\n", "\n").strip()
    if not body:
        raise InvalidInput.field("comment", _t("Write your comment or question."))
    if len(body) > MAX_LENGTH:
        raise InvalidInput.field(
            "comment", _t("Keep it to %(max_length)s characters or fewer.", max_length=MAX_LENGTH)
        )
    return body


def add_comment(
    session: Session, *, actor_id: int, pledge: Pledge, body: str | None, parent_id: int | None, now: datetime
) -> PledgeComment:
    """A member comments or asks (or replies to a visible comment); the creator is emailed after commit."""
    require(session, actor_id, pledge.neighbourhood_id, Action.COMMENT)
    if pledge.status == "draft":
        raise Conflict(_t("Comments open when the pledge does."))
    text = _body(body)
    if parent_id is not None:
        parent = session.get(PledgeComment, parent_id)
        if parent is None or parent.pledge_id != pledge.id or parent.hidden_at is not None:
            raise InvalidInput.field("parent_id", _t("That comment is not there to reply to any more."))
        parent_id = parent.parent_id or parent.id  # replies stay one level deep
    comment = PledgeComment(
        pledge_id=pledge.id, author_id=actor_id, parent_id=parent_id, body=text, created_at=now
    )
    session.add(comment)
    session.flush()
    if actor_id != pledge.creator_id:
        creator = session.get_one(User, pledge.creator_id)
        author = session.get_one(User, actor_id)
        send_after_commit(
            session,
            Email(
                creator.email,
                _t("A new reply on your pledge: %(title)s", title=pledge.title)
                if parent_id
                else _t("A new comment on your pledge: %(title)s", title=pledge.title),
                "pledges/comment",
                {
                    "name": creator.display_name,
                    "author": author.display_name,
                    "title": pledge.title,
                    "body": text,
                    "pledge_id": pledge.id,
                    "reach": reach(session, pledge.neighbourhood_id),
                },
            ),
        )
    return comment


def hide_comment(
    session: Session, *, actor_id: int, pledge_id: int, comment_id: int, reason: str | None, now: datetime
) -> PledgeComment:
    """The committee hides a comment (and its replies) with a reason; audit-logged, the author told."""
    comment = session.scalar(select(PledgeComment).where(PledgeComment.id == comment_id).with_for_update())
    if comment is None or comment.pledge_id != pledge_id:
        raise NotFound(_t("There is no such comment."))
    pledge = session.get_one(Pledge, comment.pledge_id)
    require(session, actor_id, pledge.neighbourhood_id, Action.MANAGE_PLEDGES)
    why = (reason or "").strip()
    if not why:
        raise InvalidInput.field("reason", _t("Say why the comment is hidden; its author will be told."))
    if len(why) > 500:
        raise InvalidInput.field("reason", _t("Keep the reason to 500 characters or fewer."))
    if comment.hidden_at is not None:
        raise Conflict(_t("That comment is already hidden."))
    comment.hidden_at, comment.hidden_by_id, comment.hidden_reason = now, actor_id, why
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=pledge.neighbourhood_id,
        action="comment.hidden",
        subject=("pledge_comment", comment.id),
        now=now,
        after={"pledge": pledge.id},
        reason=why,
    )
    author = session.get_one(User, comment.author_id)
    send_after_commit(
        session,
        Email(
            author.email,
            _t("Your comment on “%(title)s” was hidden", title=pledge.title),
            "pledges/comment_hidden",
            {
                "name": author.display_name,
                "title": pledge.title,
                "reason": why,
                "pledge_id": pledge.id,
                "reach": reach(session, pledge.neighbourhood_id),
            },
        ),
    )
    return comment


def visible_comments(session: Session, pledge: Pledge) -> list[Shown]:
    """The pledge's comments anyone may read, oldest first, each with its visible replies."""
    rows = session.execute(
        select(PledgeComment, User.display_name)
        .join(User, User.id == PledgeComment.author_id)
        .where(PledgeComment.pledge_id == pledge.id, PledgeComment.hidden_at.is_(None))
        .order_by(PledgeComment.created_at, PledgeComment.id)
    ).all()
    top: dict[int, Shown] = {}
    replies: list[Shown] = []
    for comment, name in rows:
        shown = Shown(comment, name, comment.author_id == pledge.creator_id)
        if comment.parent_id:
            replies.append(shown)
        else:
            top[comment.id] = shown
    for reply in replies:
        parent = top.get(reply.comment.parent_id or 0)
        if parent is not None:  # a reply to a hidden comment goes with it
            parent.replies.append(reply)
    return list(top.values())


def forget_comments(session: Session, user_id: int, *, now: datetime) -> None:
    """A person's comments go with their account: hidden, their words removed."""
    session.execute(
        update(PledgeComment)
        .where(PledgeComment.author_id == user_id)
        .values(body="", hidden_at=now, hidden_reason="The author closed their account.")
        .execution_options(synchronize_session=False)
    )
