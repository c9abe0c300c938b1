"""Community dividend pages for everyone: a neighbourhood's agreements, an agreement, a body's agreements
across neighbourhoods, and the agreements with their outcomes as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json

from flask import Response, render_template

from pledgebank.dividends import queries
from pledgebank.dividends.web.blueprint import bp
from pledgebank.dividends.web.pages import agreement_page
from pledgebank.neighbourhoods import services as neighbourhoods
from pledgebank.text import _t
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session

# The CSV's columns: each names its field in English (the JSON's key) and is headed in the page's language.
CSV_COLUMNS: tuple[str, ...] = (
    _t("id"),
    _t("version"),
    _t("previous_id"),
    _t("neighbourhood"),
    _t("body"),
    _t("title"),
    _t("status"),
    _t("outcome"),
    _t("unit"),
    _t("direction"),
    _t("outcome_source"),
    _t("baseline"),
    _t("baseline_period"),
    _t("target"),
    _t("deadline"),
    _t("terms"),
    _t("payment_at_target"),
    _t("floor"),
    _t("cap"),
    _t("currency"),
    _t("fund"),
    _t("latest_figure"),
    _t("verified_figure"),
    _t("earned"),
    _t("received"),
    _t("terms_hash"),
)
OUTCOMES: str = _t("outcomes")


@bp.get("/n/<slug>/dividends")
def index(slug: str):
    """The neighbourhood's community dividend agreements: status, progress, money earned and received."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    return render_template(
        "dividends/index.html",
        neighbourhood=neighbourhood,
        agreements=queries.of_neighbourhood(session, neighbourhood.id),
        received=queries.received,
        allowed=allowed_actions(neighbourhood.id),
    )


@bp.get("/n/<slug>/dividends/<int:agreement_id>")
def show(slug: str, agreement_id: int):
    """An agreement's public page."""
    del slug  # the agreement knows its neighbourhood; the slug keeps addresses readable
    return agreement_page(agreement_id)


@bp.get("/bodies/<body_slug>")
def body(body_slug: str):
    """A body's page: its agreements across neighbourhoods."""
    session = db_session()
    found = queries.body_by_slug(session, body_slug)
    return render_template(
        "dividends/body.html",
        body=found,
        agreements=queries.of_body(session, found.id),
        received=queries.received,
    )


def _rows(slug: str) -> list[dict]:
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    return [queries.export_row(a) for a in queries.of_neighbourhood(session, neighbourhood.id)]


@bp.get("/n/<slug>/dividends.csv")
def export_csv(slug: str):
    """The agreements and their outcomes as CSV (money in minor units; each period's figure in `outcomes`)."""
    out = io.StringIO()
    columns = [*CSV_COLUMNS, OUTCOMES]
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writerow({column: str(column) for column in columns})
    for row in _rows(slug):
        outcomes = "; ".join(f"{o['period']}: {o['figure']}" for o in row["outcomes"])
        writer.writerow({**{k: row[k] for k in CSV_COLUMNS}, "outcomes": outcomes})
    headers = {"Content-Disposition": f'attachment; filename="{slug}-dividends.csv"'}
    return Response(out.getvalue(), mimetype="text/csv", headers=headers)


@bp.get("/n/<slug>/dividends.json")
def export_json(slug: str):
    """The agreements and their outcomes as JSON."""
    body = json.dumps({"neighbourhood": slug, "agreements": _rows(slug)}, ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json")
