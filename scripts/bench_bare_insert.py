"""The floor of the API sign-up measure: a bare Flask app whose one endpoint reads a JSON body and runs one
INSERT (`gunicorn bench_bare_insert:app` from scripts/, the database in BENCH_DATABASE_URL)."""

from __future__ import annotations

import os

from flask import Flask, jsonify, request
from sqlalchemy import create_engine, text

app = Flask("bench_bare_insert")
engine = create_engine(os.environ["BENCH_DATABASE_URL"])  # SQLAlchemy's default pool, as the app's


@app.get("/healthz")
def healthz():
    """Up."""
    return "ok"


@app.post("/signups")
def signup():
    """One INSERT of the posted pledge and method, in its own transaction."""
    body = request.get_json()
    with engine.begin() as connection:
        new_id = connection.execute(
            text("INSERT INTO bench_signups (pledge_id, method) VALUES (:pledge, :method) RETURNING id"),
            {"pledge": body["pledge"], "method": body["method"]},
        ).scalar_one()
    return jsonify({"id": new_id, "method": body["method"]}), 201
