"""The pulse through the real services and the test client: one response per resident per round (changed,
not doubled), bad input refused beside its field with nothing stored, a closed round refused, a round with no
questions refused; suppression under five on the page and in the CSV; free text for the committee only,
sorted and without names."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, InvalidInput
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.pulse import rounds
from pledgebank.pulse.models import PulseResponse, PulseRound
from pledgebank.pulse.questions import CORE_KEYS
from tests.factories.grants import clock_now, today, world
from tests.factories.pulse import open_round, question_ids, respond, stored
from tests.helpers.foundation import field_error, new_client, signed_in_client, visible_text


def text(response) -> str:
    return html.unescape(visible_text(response.get_data(as_text=True)))


def everyone(w) -> list[int]:
    return [w.chair, w.treasurer, *w.members, *w.residents]


def all_agree(app, round_id: int, people: list[int], value: int = 4) -> None:
    for person in people:
        respond(app, round_id, person, **dict.fromkeys(CORE_KEYS, value))


def test_a_resident_answers_once_and_changes_the_answer_in_place(app, sessions):
    w = world(sessions)
    round_id = open_round(app, w)
    ids = question_ids(app, round_id)
    resident = signed_in_client(app, sessions, w.residents[0])
    url = f"/n/{w.slug}/pulse/{round_id}/answer"
    assert resident.get(url).status_code == 200
    first = resident.post(url, {f"q{ids['area']}": "5", f"q{ids['trust']}": "0"})
    assert first.status_code == 302
    assert stored(app) == (1, 2)
    # Sent again (a double submit), then changed: still one response, with the latest answers.
    assert resident.post(url, {f"q{ids['area']}": "5", f"q{ids['trust']}": "0"}).status_code == 302
    assert resident.post(url, {f"q{ids['area']}": "2"}).status_code == 302
    assert stored(app) == (1, 1)
    page = resident.get(url).get_data(as_text=True)
    checked = re.findall(r'<input checked[^>]*name="(q\d+)"[^>]*value="(\d)"', page)
    assert checked == [(f"q{ids['area']}", "2")]


def test_the_database_holds_one_response_per_resident_per_round(app, sessions):
    w = world(sessions)
    round_id = open_round(app, w)
    respond(app, round_id, w.residents[0], area=3)
    with pytest.raises(IntegrityError), unit_of_work(sessions) as session:
        now = clock_now(app)
        session.add(PulseResponse(round_id=round_id, user_id=w.residents[0], created_at=now, updated_at=now))
        session.flush()


@pytest.mark.parametrize("value", ["6", "-1", "9999999", "agree", "4.5"])
def test_an_answer_outside_the_scale_is_refused_beside_its_question(app, sessions, value):
    w = world(sessions)
    round_id = open_round(app, w)
    ids = question_ids(app, round_id)
    resident = signed_in_client(app, sessions, w.residents[0])
    response = resident.post(
        f"/n/{w.slug}/pulse/{round_id}/answer", {f"q{ids['area']}": "4", f"q{ids['influence']}": value}
    )
    assert response.status_code == 422
    assert "Choose one of the answers on the scale" in field_error(
        response.get_data(as_text=True), f"q{ids['influence']}"
    )
    assert stored(app) == (0, 0)


def test_answers_after_the_round_closes_are_refused_and_the_earlier_ones_kept(app, sessions, clock):
    w = world(sessions)
    round_id = open_round(app, w, days=7)
    ids = question_ids(app, round_id)
    respond(app, round_id, w.residents[0], area=4)
    clock.advance(timedelta(days=8))
    resident = signed_in_client(app, sessions, w.residents[0])
    url = f"/n/{w.slug}/pulse/{round_id}/answer"
    assert "answers are not taken today" in text(resident.get(url))
    response = resident.post(url, {f"q{ids['area']}": "1"})
    assert response.status_code == 409
    assert "This round is closed" in text(response)
    other = signed_in_client(app, sessions, w.residents[1])
    assert other.post(url, {f"q{ids['area']}": "1"}).status_code == 409
    assert stored(app) == (1, 1)
    with pytest.raises(Conflict):
        respond(app, round_id, w.residents[1], area=2)


def test_a_round_with_no_questions_or_without_the_core_measures_is_refused(app, sessions):
    w = world(sessions)
    for questions, message in (
        ([], "A round needs questions"),
        (rounds.core_questions()[1:], "Every round asks the core measures"),
    ):
        with pytest.raises(InvalidInput) as refused, unit_of_work(sessions) as session:
            rounds.open_round(
                session,
                actor_id=w.chair,
                neighbourhood=get_neighbourhood(session, w.slug),
                title="Empty",
                opens=today(app),
                closes=today(app) + timedelta(days=3),
                questions=questions,
                now=clock_now(app),
            )
        assert message in refused.value.fields["questions"][0]
    with unit_of_work(sessions) as session:
        assert session.query(PulseRound).count() == 0


def test_the_committee_opens_a_round_and_bad_dates_are_refused_beside_the_field(app, sessions):
    w = world(sessions)
    member = signed_in_client(app, sessions, w.members[0])
    url = f"/n/{w.slug}/pulse/new"
    day = today(app)
    bad = member.post(
        url, {"title": "Spring", "opens": day.isoformat(), "closes": (day - timedelta(1)).isoformat()}
    )
    assert bad.status_code == 422
    assert "close on or after" in field_error(bad.get_data(as_text=True), "closes")
    no_title = member.post(url, {"title": " ", "opens": day.isoformat(), "closes": day.isoformat()})
    assert no_title.status_code == 422
    good = member.post(
        url,
        {
            "title": "Spring",
            "opens": day.isoformat(),
            "closes": (day + timedelta(30)).isoformat(),
            "extra_text": "What one thing would make the area better?\n",
        },
    )
    assert good.status_code == 302
    with unit_of_work(sessions) as session:
        (found,) = session.query(PulseRound).all()
        assert [q.key for q in found.questions] == [*CORE_KEYS, "extra"]
    resident = signed_in_client(app, sessions, w.residents[0])
    assert resident.get(url).status_code == 403
    assert (
        resident.post(url, {"title": "Mine", "opens": day.isoformat(), "closes": day.isoformat()}).status_code
        == 403
    )


def test_visitors_and_other_people_cannot_answer(app, sessions):
    w = world(sessions)
    round_id = open_round(app, w)
    ids = question_ids(app, round_id)
    url = f"/n/{w.slug}/pulse/{round_id}/answer"
    visitor = new_client(app)
    assert visitor.get(url).status_code in (302, 401)
    other = world(sessions, prefix="other-", name="Oak Hill")
    outsider = signed_in_client(app, sessions, other.residents[0])
    assert outsider.post(url, {f"q{ids['area']}": "5"}).status_code == 403
    assert stored(app) == (0, 0)


@pytest.mark.parametrize(("people", "shown"), [(4, False), (5, True)])
def test_figures_are_withheld_under_five_on_every_page_and_in_the_csv(app, sessions, people, shown):
    w = world(sessions, members=1, residents=2)
    round_id = open_round(app, w)
    all_agree(app, round_id, everyone(w)[:people])
    visitor = new_client(app)
    index, result = (
        text(visitor.get(f"/n/{w.slug}/pulse")),
        text(visitor.get(f"/n/{w.slug}/pulse/{round_id}")),
    )
    rows = list(csv.DictReader(io.StringIO(visitor.get(f"/n/{w.slug}/pulse.csv").get_data(as_text=True))))
    assert len(rows) == len(CORE_KEYS)
    if shown:
        assert "100% agree" in result and "Satisfied with the area 100%" in index
        assert "5 residents answered" in result
        assert {r["gave_a_view"] for r in rows} == {"5"} and {r["share_agreeing"] for r in rows} == {"1.000"}
    else:
        assert "% agree" not in result and "fewer than 5 people gave a view" in result
        assert "4 residents" not in result and "Fewer than 5 residents answered" in result
        assert "Satisfied with the area 100%" not in index and "% agree" not in index
        assert {r["gave_a_view"] for r in rows} == {""} and {r["share_agreeing"] for r in rows} == {""}


@pytest.mark.parametrize(("writers", "shown"), [(4, False), (5, True)])
def test_free_text_is_for_the_committee_only_sorted_and_never_with_a_name(app, sessions, writers, shown):
    w = world(sessions, members=2, residents=3)
    round_id = open_round(app, w, text_questions=("What would make the area better?",))
    words = [
        "zebra crossing on Elm Road",
        "A bench by the shops",
        "more bins",
        "Lighting in the park",
        "trees",
    ]
    people = [w.residents[0], w.members[0], w.residents[2], w.chair, w.residents[1]]
    for person, said in list(zip(people, words, strict=True))[:writers]:
        respond(app, round_id, person, extra1=said, area=4)
    url = f"/n/{w.slug}/pulse/{round_id}"
    committee = text(signed_in_client(app, sessions, w.members[1]).get(url))
    for reader in (new_client(app), signed_in_client(app, sessions, w.residents[0])):
        page = text(reader.get(url))
        assert not any(said in page for said in words)
    if not shown:
        assert not any(said in committee for said in words)
        assert "fewer than 5 people wrote an answer" in committee
        return
    expected = sorted(words, key=str.casefold)
    positions = [committee.index(said) for said in expected]
    assert positions == sorted(positions)
    section = committee[committee.index("own words") :]
    for name in ("Resident 0", "Resident 1", "Resident 2", "Member 0", "Chair Person"):
        assert name not in section
