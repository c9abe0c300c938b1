"""The language of a page: ?lang=, the switch on every page (which keeps the place), the choice remembered for
the browser and the person, a neighbourhood's default, the browser's Accept-Language, then English."""

from sqlalchemy import select

from pledgebank.accounts.models import User
from pledgebank.db import unit_of_work
from tests.helpers.app import make_neighbourhood, make_user, neighbourhood

WELSH_SKIP_LINK = "Neidio i'r prif gynnwys"


def _welsh(page) -> bool:
    html = page.get_data(as_text=True)
    return '<html lang="cy">' in html and WELSH_SKIP_LINK in html


def _english(page) -> bool:
    html = page.get_data(as_text=True)
    return '<html lang="en-GB">' in html and "Skip to main content" in html


def test_english_by_default_and_welsh_for_a_browser_that_asks_for_it(web):
    assert _english(web.get("/"))
    assert _welsh(web.get("/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}))
    assert _english(web.get("/", headers={"Accept-Language": "fr-FR, de"}))


def test_lang_on_the_address_shows_the_page_in_welsh_and_is_remembered(web):
    page = web.get("/neighbourhoods?lang=cy&q=elm")
    assert _welsh(page)
    assert 'name="next" value="/neighbourhoods?q=elm"' in page.get_data(as_text=True), (
        "the switch undoes ?lang"
    )
    assert _welsh(web.get("/"))
    assert _english(web.get("/?lang=en"))
    assert _english(web.get("/"))


def test_the_switch_goes_back_to_the_same_page_and_query(web):
    page = web.get("/?district=SE15").get_data(as_text=True)
    assert 'name="next" value="/?district=SE15"' in page
    assert 'lang="cy">Cymraeg</button>' in page
    answer = web.post("/language", {"lang": "cy", "next": "/?district=SE15"})
    assert answer.status_code == 303 and answer.headers["Location"] == "/?district=SE15"
    welsh = web.get("/?district=SE15")
    assert _welsh(welsh) and 'lang="en-GB">English</button>' in welsh.get_data(as_text=True)


def test_the_switch_never_sends_anyone_to_another_site(web):
    hostile = (
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
    )
    for elsewhere in hostile:
        answer = web.post("/language", {"lang": "cy", "next": elsewhere})
        assert answer.status_code == 303 and answer.headers["Location"] == "/", elsewhere


def test_an_unknown_language_is_english_and_nothing_breaks(web):
    assert _english(web.get("/?lang=xx"))
    answer = web.post("/language", {"lang": "fr", "next": "/"})
    assert answer.status_code == 303 and _english(web.get("/"))
    for lang, after in (("cy\x00", "/"), ("x" * 5000, "/"), ("cy", "/\x00evil"), ("cy", "/" + "a" * 9000)):
        answer = web.post("/language", {"lang": lang, "next": after})
        assert answer.status_code in (303, 400, 422), (lang[:10], after[:10])


def test_a_signed_in_persons_choice_follows_them_to_another_browser(app, web, sessions):
    make_user(sessions, "eira@example.org", "Eira")
    web.login("eira@example.org")
    web.post("/language", {"lang": "cy", "next": "/account"})
    with unit_of_work(sessions) as session:
        assert session.scalar(select(User.language).where(User.email == "eira@example.org")) == "cy"
    from tests.helpers.app import WebClient

    elsewhere = WebClient(app.test_client())
    elsewhere.login("eira@example.org")
    assert _welsh(elsewhere.get("/"))


def test_a_neighbourhoods_default_language_is_used_when_the_visitor_has_not_chosen(web, sessions):
    chair = make_user(sessions, "chair@example.org", "Chair")
    slug = make_neighbourhood(sessions, chair)
    with unit_of_work(sessions) as session:
        neighbourhood(session, slug).default_language = "cy"
    assert _welsh(web.get(f"/n/{slug}"))
    assert _english(web.get("/"))  # a page of no neighbourhood
    web.post("/language", {"lang": "en", "next": f"/n/{slug}"})
    assert _english(web.get(f"/n/{slug}"))  # the visitor's own choice wins
