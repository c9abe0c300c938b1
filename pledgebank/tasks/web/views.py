"""The treasurer's failed-jobs page: each job that failed after its last attempt, its error, and a retry."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import login_required

from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.tasks.failed import failed_jobs, retry_failed
from pledgebank.tasks.web.blueprint import bp
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.form_base import Form
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import go_to, submit


class RetryForm(Form):
    """The retry button (its CSRF token only)."""


def _page(slug: str, status: int = 200):
    session = db_session()
    neighbourhood = get_neighbourhood(session, slug)
    jobs = failed_jobs(session, current_user_id(), neighbourhood.id)
    page = render_template(
        "tasks/failed_jobs.html",
        neighbourhood=neighbourhood,
        allowed=allowed_actions(neighbourhood.id),
        jobs=jobs,
        form=RetryForm(formdata=None),
    )
    return page, status


@bp.get("/n/<slug>/failed-jobs")
@login_required
def failed_page(slug: str):
    """The neighbourhood's failed jobs."""
    return _page(slug)


@bp.post("/n/<slug>/failed-jobs/<int:job_id>/retry")
@login_required
def retry(slug: str, job_id: int):
    """Queue one failed job again."""

    def work(session) -> None:
        neighbourhood = get_neighbourhood(session, slug)
        retry_failed(session, signed_in_user_id(), neighbourhood.id, job_id, now=now())

    return submit(
        RetryForm(),
        work,
        done=go_to(url_for("tasks.failed_page", slug=slug), "The job is queued again."),
        page=lambda status: _page(slug, status),
    )
