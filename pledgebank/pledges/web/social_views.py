"""The pledge page's signers and comments: how a signer appears, commenting and replying (rate-limited per
person), and the committee hiding a comment. Their routes belong to the pledges blueprint.
"""

from __future__ import annotations

from flask import current_app, g, redirect, url_for
from flask_babel import gettext
from flask_login import login_required

from pledgebank.extensions import limiter
from pledgebank.pledges import comments, services, signers
from pledgebank.pledges.signups import signup_of
from pledgebank.pledges.states import ACTIVE
from pledgebank.pledges.web.blueprint import bp
from pledgebank.pledges.web.social_forms import CommentForm, HideCommentForm, SignerForm
from pledgebank.pledges.web.views import pledge_page
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import go_to, submit


def _comment_limit() -> str:
    return current_app.config["RATELIMIT_COMMENTS"]


def _person() -> str:
    """Comments are limited per signed-in person, wherever they post from."""
    return f"user:{current_user_id()}"


@bp.post("/p/<int:pledge_id>/comments")
@login_required
@limiter.limit(_comment_limit, key_func=_person)
def comment(pledge_id: int):
    """Post a comment or question, or a reply to one."""
    form = CommentForm()
    g.comment_form = form

    def work(session):
        parent = form.parent_id.data
        return comments.add_comment(
            session,
            actor_id=signed_in_user_id(),
            pledge=services.get_pledge(session, pledge_id),
            body=form.comment.data,
            parent_id=int(parent) if parent and parent.isdigit() else None,
            now=now(),
        ).id

    def done(comment_id: int):
        return redirect(url_for("pledges.show", pledge_id=pledge_id, _anchor=f"comment-{comment_id}"))

    return submit(form, work, done=done, page=lambda status: pledge_page(pledge_id, status))


@bp.post("/p/<int:pledge_id>/comments/<int:comment_id>/hide")
@login_required
def hide_comment(pledge_id: int, comment_id: int):
    """The committee hides a comment (and its replies), giving a reason the author is told."""
    form = HideCommentForm()
    g.hide_form = (comment_id, form)

    def work(session):
        return comments.hide_comment(
            session,
            actor_id=signed_in_user_id(),
            pledge_id=pledge_id,
            comment_id=comment_id,
            reason=form.reason.data,
            now=now(),
        )

    back = url_for("pledges.show", pledge_id=pledge_id, _anchor="comments-title")
    return submit(
        form,
        work,
        done=go_to(back, gettext("The comment is hidden and its author told why."), "info"),
        page=lambda status: pledge_page(pledge_id, status),
    )


@bp.post("/p/<int:pledge_id>/signer")
@login_required
def change_signer(pledge_id: int):
    """A signer changes how they appear in the list of signers."""
    form = SignerForm()
    g.signer_form = form

    def work(session):
        return signers.change(
            session, actor_id=signed_in_user_id(), pledge_id=pledge_id, shown_as=form.shown_as.data
        )

    back = url_for("pledges.show", pledge_id=pledge_id, _anchor="signers-title")
    return submit(
        form,
        work,
        done=go_to(back, gettext("Saved: how you appear in the list of signers.")),
        page=lambda status: pledge_page(pledge_id, status),
    )


@bp.app_template_global("pledge_social")
def pledge_social(pledge) -> dict:
    """What the signers and comments partials show (and any form sent back with its errors)."""
    session = db_session()
    mine = signup_of(session, pledge_id=pledge.id, user_id=current_user_id())
    signer_form = g.get("signer_form") or SignerForm(formdata=None)
    if "signer_form" not in g and mine is not None:
        signer_form.shown_as.data = mine.shown_as
    return {
        "signers": signers.signers(session, pledge),
        "comments": comments.visible_comments(session, pledge),
        "comment_form": g.get("comment_form") or CommentForm(formdata=None),
        "hide_form": g.get("hide_form"),
        "signer_form": signer_form,
        "can_change": mine is not None and mine.status in ACTIVE,
    }
