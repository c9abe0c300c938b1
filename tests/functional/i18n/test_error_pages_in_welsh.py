"""The site's own error pages (not found, wrong method, too many attempts, an expired form, a fault of ours)
read in the page's language, title and body; the JSON API's errors stay in English."""

from __future__ import annotations

from tests.helpers.foundation import new_client
from tests.helpers.pledge_pages import text_of


def _broken():
    raise RuntimeError("a bug")


def test_not_found_and_wrong_method_read_in_welsh(app):
    client = new_client(app)
    missing = text_of(client.get("/p/abc?lang=cy", headers={"Accept": "text/html"}))
    assert "Nid oes tudalen yn y cyfeiriad hwn." in missing
    assert "There is no page at this address" not in missing
    wrong = text_of(client.get("/demo/advance?lang=cy"))
    assert "Ni ellir defnyddio'r dudalen hon yn y ffordd honno." in wrong
    assert "This page cannot be used that way" not in wrong


def test_a_fault_of_ours_reads_in_welsh(app):
    app.add_url_rule("/_broken", "broken", _broken)
    page = text_of(new_client(app).get("/_broken?lang=cy"))
    assert "ni chafodd dim a anfonoch ei hanner-gadw" in page
    assert "nothing you sent was half-saved" not in page


def test_an_expired_form_reads_in_welsh(app):
    refused = app.test_client().post("/login?lang=cy", data={"email": "ann@example.org"})
    assert refused.status_code == 400
    page = text_of(refused)
    assert "Mae'r ffurflen hon wedi dod i ben" in page
    assert "This form has expired" not in page


def test_the_api_keeps_english(app):
    body = new_client(app).get("/api/v1/nothing-here?lang=cy").get_json()
    assert body["error"] == "not_found" and body["message"].isascii()


def test_a_nul_in_a_form_field_is_refused_in_welsh_beside_it(app):
    from tests.helpers.app import WebClient
    from tests.helpers.pledge_pages import error_beside

    response = WebClient(app.test_client()).post(
        "/register?lang=cy",
        {"email": "a@example.org", "display_name": "A\x00", "password": "x" * 12, "confirm": "x" * 12},
    )
    assert response.status_code == 422
    beside = error_beside(response.get_data(as_text=True), "display_name")
    assert "Ni chaiff testun gynnwys nodau NUL." in beside
