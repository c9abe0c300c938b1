"""The pulse pages for everyone: the neighbourhood's headline measures and their trend, a round's results,
the open data as CSV; and a resident's answers to an open round."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from flask import Response, current_app, render_template, request, url_for
from flask_babel import gettext as _

from pledgebank.neighbourhoods import services as neighbourhoods
from pledgebank.policy import Action, require
from pledgebank.pulse import chart, related, responses, results, rounds
from pledgebank.pulse.figures import MIN_RESPONSES
from pledgebank.pulse.questions import CORE, SCALE
from pledgebank.pulse.web.blueprint import bp
from pledgebank.pulse.web.forms import answer_form, answers_of_form
from pledgebank.text import Message
from pledgebank.web.auth import signed_in_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import go_to, submit


def today():
    """The neighbourhood's calendar day."""
    return now().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


@bp.get("/n/<slug>/pulse")
def index(slug: str):
    """The headline measures of the latest round with results, their trend across rounds, and the rounds."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    found = rounds.rounds_of(session, neighbourhood.id)
    rows = results.trend(session, found)
    latest = next((r for r in reversed(rows) if any(s is not None for s in r.shares.values())), None)
    return render_template(
        "pulse/index.html",
        neighbourhood=neighbourhood,
        rounds=list(reversed(found)),
        rows=rows,
        latest=latest,
        chart=chart.lay_out(rows),
        core=CORE,
        today=today(),
        minimum=MIN_RESPONSES,
        allowed=allowed_actions(neighbourhood.id),
    )


@bp.get("/n/<slug>/pulse/<int:round_id>")
def show(slug: str, round_id: int):
    """A round's results: each measure's share agreeing, its interval and its answers; and, for the
    committee only, the free-text answers (sorted, never with a name)."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    found = rounds.get_round(session, round_id, neighbourhood.id)
    allowed = allowed_actions(neighbourhood.id)
    return render_template(
        "pulse/show.html",
        neighbourhood=neighbourhood,
        round=found,
        measures=results.measures(session, found),
        answered=results.shown_count(results.response_count(session, found.id)),
        free_text=results.free_text(session, found) if allowed["manage_pulse"] else [],
        related=related.figures(session, found),
        scale=SCALE,
        today=today(),
        minimum=MIN_RESPONSES,
        allowed=allowed,
    )


@bp.route("/n/<slug>/pulse/<int:round_id>/answer", methods=["GET", "POST"])
def answer(slug: str, round_id: int):
    """A resident's answers to an open round; they may change them until it closes."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    found = rounds.get_round(session, round_id, neighbourhood.id)
    user_id = signed_in_user_id()
    require(session, user_id, neighbourhood.id, Action.ANSWER_PULSE)
    own = responses.answers_of(session, found.id, user_id)
    form = answer_form(found, own, request.form if request.method == "POST" else None)

    def page(status: int):
        return render_template(
            "pulse/answer.html",
            neighbourhood=neighbourhood,
            round=found,
            form=form,
            answered_before=bool(own),
            is_open=found.is_open(today()),
            allowed=allowed_actions(neighbourhood.id),
        ), status

    def work(session):
        return responses.answer(
            session,
            actor_id=user_id,
            round_id=found.id,
            answers=answers_of_form(found, form),
            now=now(),
            today=today(),
        )

    done = go_to(
        url_for("pulse.index", slug=slug),
        _("Thank you: your answers are saved. You can change them until the round closes."),
    )
    return submit(form, work, done=done, page=page)


@bp.get("/n/<slug>/pulse.csv")
def export_csv(slug: str):
    """Every round's measures as open data: counts and shares blank where fewer than five gave a view."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=results.CSV_COLUMNS, lineterminator="\n")
    writer.writerow({column: str(column) for column in results.CSV_COLUMNS})
    for row in results.export_rows(session, rounds.rounds_of(session, neighbourhood.id)):
        # A core question's marked words read in the page's language, as on the results page.
        writer.writerow({key: str(v) if isinstance(v, Message) else v for key, v in row.items()})
    headers = {"Content-Disposition": f'attachment; filename="{slug}-pulse.csv"'}
    return Response(out.getvalue(), mimetype="text/csv", headers=headers)
