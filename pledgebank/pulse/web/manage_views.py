"""The committee's tool: opening a pulse round with the core measures and any questions of its own."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _

from pledgebank.neighbourhoods import services as neighbourhoods
from pledgebank.policy import Action, require
from pledgebank.pulse import rounds
from pledgebank.pulse.questions import CORE, EXTRA, QuestionKind
from pledgebank.pulse.rounds import NewQuestion
from pledgebank.pulse.web.blueprint import bp
from pledgebank.pulse.web.forms import RoundForm, lines
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import go_to, submit


@bp.route("/n/<slug>/pulse/new", methods=["GET", "POST"])
def new(slug: str):
    """Open a round."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    require(session, signed_in_user_id(), neighbourhood.id, Action.MANAGE_PULSE)
    form = RoundForm()

    def page(status: int):
        return render_template(
            "pulse/new.html",
            neighbourhood=neighbourhood,
            form=form,
            core=CORE,
            allowed=allowed_actions(neighbourhood.id),
        ), status

    def work(session):
        questions = [
            *rounds.core_questions(),
            *(NewQuestion(EXTRA, QuestionKind.SCALE, text) for text in lines(form.extra_scale.data)),
            *(NewQuestion(EXTRA, QuestionKind.TEXT, text) for text in lines(form.extra_text.data)),
        ]
        return rounds.open_round(
            session,
            actor_id=current_user_id(),
            neighbourhood=neighbourhood,
            title=form.title.data or "",
            opens=form.parsed["opens"],
            closes=form.parsed["closes"],
            questions=questions,
            now=now(),
        ).id

    def done(round_id: int):
        return go_to(url_for("pulse.show", slug=slug, round_id=round_id), _("The round is open."))(round_id)

    return submit(form, work, done=done, page=page)
