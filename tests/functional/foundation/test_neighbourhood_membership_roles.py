"""Neighbourhoods through the HTML pages: create, search, join, roles, the last chair, and the audit log."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.policy import roles_of
from tests.helpers.app import add_member, make_neighbourhood, make_user
from tests.helpers.foundation import signed_in_client, visible_text


def _roles(sessions, slug: str, user_id: int) -> set[str] | None:
    with unit_of_work(sessions) as session:
        neighbourhood = session.scalar(select(Neighbourhood).where(Neighbourhood.slug == slug))
        roles = roles_of(session, user_id, neighbourhood.id)
        return None if roles is None else {role.value for role in roles}


def _events(sessions, slug: str) -> list[AuditEvent]:
    with unit_of_work(sessions) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .join(Neighbourhood)
                .where(Neighbourhood.slug == slug)
                .order_by(AuditEvent.id)
            )
        )


def _change(client, slug: str, user_id: int, change: str, role: str):
    return client.post(f"/n/{slug}/members/{user_id}/roles", {"role": role, "change": change})


def test_a_verified_user_creates_a_neighbourhood_and_becomes_its_chair(app, sessions, clock):
    founder = make_user(sessions, "founder@example.org", "Founder")
    web = signed_in_client(app, sessions, founder)
    response = web.post(
        "/neighbourhoods/new", {"name": "  Elm   Park ", "postcode_district": "se15 4ab", "description": "Hi"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/n/elm-park"
    page = visible_text(web.get("/n/elm-park").get_data(as_text=True))
    assert "Elm Park is set up, and you are its chair." in page
    assert "Postcode district SE15" in page
    assert "You are a member: chair, resident." in page
    assert _roles(sessions, "elm-park", founder) == {"chair", "resident"}
    assert [(e.action, e.actor_id, e.after) for e in _events(sessions, "elm-park")] == [
        ("neighbourhood.created", founder, {"name": "Elm Park", "postcode_district": "SE15"}),
        ("role.granted", founder, {"roles": ["chair"]}),
    ]
    assert all(e.occurred_at == clock.now() for e in _events(sessions, "elm-park"))
    again = web.post("/neighbourhoods/new", {"name": "Elm Park", "postcode_district": "SE15"})
    assert again.headers["Location"] == "/n/elm-park-2", (
        "a second one with the same name gets its own address"
    )


def test_an_unverified_user_is_told_to_verify_before_creating(app, sessions):
    unverified = make_user(sessions, "new@example.org", verified=False)
    web = signed_in_client(app, sessions, unverified)
    response = web.post("/neighbourhoods/new", {"name": "Elm Park", "postcode_district": "SE15"})
    assert response.status_code == 422
    assert "Please verify your email address before creating a neighbourhood." in visible_text(
        response.get_data(as_text=True)
    )
    with unit_of_work(sessions) as session:
        assert session.scalars(select(Neighbourhood)).all() == []
    signed_out = signed_in_client(app, sessions, unverified)
    signed_out.logout()
    assert signed_out.get("/neighbourhoods/new").headers["Location"].startswith("/login")


def test_search_by_name_and_by_postcode(app, sessions):
    chair = make_user(sessions, "chair@example.org")
    make_neighbourhood(sessions, chair, "Elm Park", "SE15")
    make_neighbourhood(sessions, chair, "Oak Vale", "N4")
    web = signed_in_client(app, sessions, chair)

    def found(query: str) -> list[str]:
        page = web.get("/neighbourhoods", query_string={"q": query}).get_data(as_text=True)
        section = page.split('id="search-title"', 1)[1]
        return [name for name in ("Elm Park", "Oak Vale") if f">{name}</a>" in section]

    assert found("park") == ["Elm Park"]
    assert found("SE15") == ["Elm Park"]
    assert found("se15 4ab") == ["Elm Park"]
    assert found("N4 1XX") == ["Oak Vale"]
    assert found("") == ["Elm Park", "Oak Vale"]
    assert found("Birchwood") == []
    assert "No neighbourhoods match" in web.get("/neighbourhoods?q=Birchwood").get_data(as_text=True)


def test_joining_as_a_resident(app, sessions):
    chair = make_user(sessions, "chair@example.org")
    joiner = make_user(sessions, "joiner@example.org", "Joiner")
    unverified = make_user(sessions, "unverified@example.org", verified=False)
    make_neighbourhood(sessions, chair)
    web = signed_in_client(app, sessions, joiner)
    assert "Join as a resident" in web.get("/n/elm-park").get_data(as_text=True)
    assert web.post("/n/elm-park/join").status_code == 302
    assert "You are a member: resident." in visible_text(web.get("/n/elm-park").get_data(as_text=True))
    assert _roles(sessions, "elm-park", joiner) == {"resident"}
    assert _events(sessions, "elm-park")[-1].action == "member.joined"

    twice = web.post("/n/elm-park/join")
    assert twice.status_code == 409
    assert "already a member" in twice.get_data(as_text=True)

    refused = signed_in_client(app, sessions, unverified).post("/n/elm-park/join")
    assert refused.status_code == 403
    assert "verify your email address" in refused.get_data(as_text=True)
    assert _roles(sessions, "elm-park", unverified) is None
    assert web.post("/n/nowhere/join").status_code == 404


def test_the_chair_grants_and_revokes_each_role_and_every_change_is_audited(app, sessions, clock):
    chair = make_user(sessions, "chair@example.org", "Chair Person")
    member = make_user(sessions, "member@example.org", "Member Person")
    make_neighbourhood(sessions, chair)
    add_member(sessions, "elm-park", member)
    web = signed_in_client(app, sessions, chair)
    already = len(_events(sessions, "elm-park"))

    expected = [({"resident"}, "grant", "committee", {"committee", "resident"})]
    expected.append(({"committee", "resident"}, "grant", "treasurer", {"committee", "resident", "treasurer"}))
    expected.append(
        (
            {"committee", "resident", "treasurer"},
            "grant",
            "chair",
            {"chair", "committee", "resident", "treasurer"},
        )
    )
    expected.append(
        (
            {"chair", "committee", "resident", "treasurer"},
            "revoke",
            "committee",
            {"chair", "resident", "treasurer"},
        )
    )
    expected.append(({"chair", "resident", "treasurer"}, "revoke", "treasurer", {"chair", "resident"}))
    expected.append(({"chair", "resident"}, "revoke", "chair", {"resident"}))
    for step, (before, change, role, after) in enumerate(expected, start=1):
        clock.advance(timedelta(minutes=1))
        response = _change(web, "elm-park", member, change, role)
        assert response.status_code == 302, f"{change} {role}: {response.status_code}"
        assert _roles(sessions, "elm-park", member) == after, f"after {change} {role}"
        event = _events(sessions, "elm-park")[already + step - 1]
        assert event.action == f"role.{change}{'ed' if change == 'grant' else 'd'}"
        assert event.actor_id == chair
        assert (event.subject_type, event.subject_id) == ("user", str(member))
        assert set(event.before["roles"]) == before and set(event.after["roles"]) == after
        assert event.occurred_at == clock.now()
    assert len(_events(sessions, "elm-park")) == already + len(expected)

    assert _change(web, "elm-park", member, "revoke", "treasurer").status_code == 302
    assert len(_events(sessions, "elm-park")) == already + len(expected), "a no-op change records nothing"
    refused = _change(web, "elm-park", member, "grant", "resident")
    assert refused.status_code == 422, "resident is not a role to give"
    assert _change(web, "elm-park", member, "promote", "chair").status_code == 422
    assert _change(web, "elm-park", 999_999, "grant", "committee").status_code == 404

    page = visible_text(web.get("/n/elm-park/members").get_data(as_text=True))
    assert "Member Person resident" in page


def test_the_last_chair_can_be_neither_demoted_nor_removed_nor_leave(app, sessions):
    chair = make_user(sessions, "chair@example.org", "Chair")
    deputy = make_user(sessions, "deputy@example.org", "Deputy")
    make_neighbourhood(sessions, chair)
    add_member(sessions, "elm-park", deputy, "committee")
    web = signed_in_client(app, sessions, chair)
    before = len(_events(sessions, "elm-park"))

    demote = _change(web, "elm-park", chair, "revoke", "chair")
    assert demote.status_code == 409
    assert "only chair" in visible_text(demote.get_data(as_text=True))
    remove = web.post(f"/n/elm-park/members/{chair}/remove", {"reason": "stepping down"})
    assert remove.status_code == 409
    leave = web.post("/n/elm-park/leave")
    assert leave.status_code == 409
    assert "The only chair cannot leave" in visible_text(leave.get_data(as_text=True))
    assert _roles(sessions, "elm-park", chair) == {"chair", "resident"}
    assert len(_events(sessions, "elm-park")) == before

    assert _change(web, "elm-park", deputy, "grant", "chair").status_code == 302
    assert web.post("/n/elm-park/leave", {"confirm": "yes"}).status_code == 302, (
        "with a second chair the first may go"
    )
    assert _roles(sessions, "elm-park", chair) is None
    deputy_web = signed_in_client(app, sessions, deputy)
    assert _change(deputy_web, "elm-park", deputy, "revoke", "chair").status_code == 409
    assert [e.action for e in _events(sessions, "elm-park")][-2:] == ["role.granted", "member.left"]


def test_the_chair_removes_a_member_with_a_reason(app, sessions):
    chair = make_user(sessions, "chair@example.org")
    member = make_user(sessions, "member@example.org")
    make_neighbourhood(sessions, chair)
    add_member(sessions, "elm-park", member, "treasurer")
    web = signed_in_client(app, sessions, chair)
    blank = web.post(f"/n/elm-park/members/{member}/remove", {"reason": "   "})
    assert blank.status_code == 422
    assert _roles(sessions, "elm-park", member) == {"resident", "treasurer"}
    assert web.post(f"/n/elm-park/members/{member}/remove", {"reason": "moved away"}).status_code == 302
    assert _roles(sessions, "elm-park", member) is None
    event = _events(sessions, "elm-park")[-1]
    assert (event.action, event.actor_id, event.reason) == ("member.removed", chair, "moved away")
    assert set(event.before["roles"]) == {"resident", "treasurer"} and event.after is None


def test_only_a_chair_can_change_roles(app, sessions):
    chair = make_user(sessions, "chair@example.org")
    make_neighbourhood(sessions, chair)
    people = {}
    for role in ("resident", "committee", "treasurer"):
        people[role] = make_user(sessions, f"{role}@example.org")
        add_member(sessions, "elm-park", people[role], *(() if role == "resident" else (role,)))
    before = len(_events(sessions, "elm-park"))
    for role, user in people.items():
        web = signed_in_client(app, sessions, user)
        for target in (user, chair, people["resident"]):
            for change, granted in (("grant", "chair"), ("revoke", "chair"), ("grant", "committee")):
                response = _change(web, "elm-park", target, change, granted)
                assert response.status_code == 403, f"{role} may not {change} {granted} for {target}"
        victim = people["committee" if role == "resident" else "resident"]
        removal = web.post(f"/n/elm-park/members/{victim}/remove", {"reason": "no"})
        assert removal.status_code == 403, f"{role} may not remove members"
        assert "You do not have permission" in removal.get_data(as_text=True)
        members_page = web.get("/n/elm-park/members").get_data(as_text=True)
        assert "/roles" not in members_page, f"{role} sees no role controls"
    assert _roles(sessions, "elm-park", chair) == {"chair", "resident"}
    assert _roles(sessions, "elm-park", people["resident"]) == {"resident"}
    assert len(_events(sessions, "elm-park")) == before


def test_the_audit_page_shows_role_changes_to_officers_only(app, sessions, clock):
    chair = make_user(sessions, "chair@example.org", "Chair Person")
    make_neighbourhood(sessions, chair)
    people = {"chair": chair}
    for role in ("resident", "committee", "treasurer"):
        people[role] = make_user(sessions, f"{role}@example.org", f"{role.title()} Person")
        add_member(sessions, "elm-park", people[role], *(() if role == "resident" else (role,)))
    outsider = make_user(sessions, "outsider@example.org")
    clock.advance(timedelta(days=3))
    granted = _change(
        signed_in_client(app, sessions, chair), "elm-park", people["committee"], "grant", "treasurer"
    )
    assert granted.status_code == 302

    for role in ("committee", "treasurer", "chair"):
        page = signed_in_client(app, sessions, people[role]).get("/n/elm-park/audit")
        assert page.status_code == 200, role
        rows = [visible_text(row) for row in page.get_data(as_text=True).split("<tr>")[2:]]
        newest = rows[0]
        assert newest.startswith("5 Mar 2026, 10:00 Chair Person made Committee Person treasurer"), newest
        assert any("Chair Person started the neighbourhood" in row for row in rows)
    for who, user in (("resident", people["resident"]), ("outsider", outsider)):
        assert signed_in_client(app, sessions, user).get("/n/elm-park/audit").status_code == 403, who
    signed_out = app.test_client().get("/n/elm-park/audit")
    assert signed_out.status_code == 302 and signed_out.headers["Location"].startswith("/login")
