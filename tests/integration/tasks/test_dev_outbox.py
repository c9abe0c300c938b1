"""The development outbox numbers each email from a counter, not by listing the folder (so the thousandth
email costs what the first did), and a retried delivery of an email already written is not written again."""

from __future__ import annotations

from pathlib import Path

from pledgebank.outbox import Email
from pledgebank.web import mailer

HELLO = Email("ann@example.org", "Reset your password", "accounts/reset", {"token": "t0k3n", "name": "Ann"})


def test_numbers_come_from_the_counter_without_listing_the_folder(app, monkeypatch):
    folder = Path(app.config["MAIL_OUTBOX"])
    folder.mkdir(parents=True)
    (folder / "00041-written-before-the-counter.eml").write_bytes(b"Subject: old\r\n\r\nold\r\n")
    with app.app_context():
        mailer.send_email(HELLO, message_id="a" * 32)  # an outbox from before the counter: counted once

        def listing(*args, **kwargs):
            raise AssertionError("the outbox folder was listed to number an email")

        monkeypatch.setattr(Path, "glob", listing)
        monkeypatch.setattr(Path, "iterdir", listing)
        for n in range(3):
            mailer.send_email(HELLO, message_id=f"{n}" * 32)
    monkeypatch.undo()
    assert sorted(path.name[:5] for path in folder.glob("*.eml")) == [
        "00041",
        "00042",
        "00043",
        "00044",
        "00045",
    ]


def test_a_retried_delivery_of_an_email_already_written_is_not_written_again(app):
    folder = Path(app.config["MAIL_OUTBOX"])
    with app.app_context():
        mailer.send_email(HELLO, message_id="b" * 32)
        mailer.send_email(HELLO, message_id="b" * 32, retry=True)  # the first attempt wrote it, then stopped
        mailer.send_email(HELLO, message_id="c" * 32, retry=True)  # a retry of one that was never written
    assert len(list(folder.glob("*.eml"))) == 2
    assert not list(folder.glob(".*.part"))
