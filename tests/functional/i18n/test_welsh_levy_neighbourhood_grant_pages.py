"""The levy, neighbourhood and grants pages read in Welsh: each page of the demo neighbourhood, as its chair
sees it, is rendered in English and again in Welsh, and no text of the page is the same in both but names,
amounts, dates and the parts of the page other features show (theirs to translate)."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import url_for

from pledgebank.demo import DEMO_PASSWORD
from tests.factories.seeded import CHAIR, seeded_copies
from tests.helpers.app import WebClient

PAGES = [
    ("neighbourhoods.index", {}),
    ("neighbourhoods.show", {"slug"}),
    ("neighbourhoods.members", {"slug"}),
    ("neighbourhoods.fund_list", {"slug"}),
    ("neighbourhoods.settings", {"slug"}),
    ("neighbourhoods.audit_log", {"slug"}),
    ("neighbourhoods.create", {}),
    ("levies.index", {"slug"}),
    ("levies.show", {"levy_id"}),
    ("levies.accounts", {"slug"}),
    ("levies.households_register", {"levy_id"}),
    ("levies.create", {"slug"}),
    ("levies.mine", {"slug"}),
    ("grants.index", {"slug"}),
    ("grants.show_round", {"round_id"}),
    ("grants.show_application", {"application_id"}),
    ("grants.new_round", {"slug"}),
    ("grants.apply", {"round_id"}),
    ("levies.pay", {"charge_id"}),
]
# The pay page is the household's own: a resident with a charge unpaid reads it.
READER = {"levies.pay": "gareth@example.org"}
FOLDERS = ("levies", "neighbourhoods", "grants")
# The same in both languages: the alerts sign-up's question (the alerts' own text, also written here) and the
# CSV header a register file must start with.
AS_IS = {"How often", "address,band"}
ROOT = Path(__file__).resolve().parents[3]


def _fragments() -> set[str]:
    """The text written into these features' templates and web-layer Python: whatever of it a page shows
    in Welsh as it is in English was left untranslated. (Names, titles and descriptions the neighbourhood's
    people wrote are in neither, and other features' text is theirs to translate.)"""
    found: set[str] = set()
    for folder in FOLDERS:
        for path in (ROOT / "templates" / folder).glob("*.html"):
            text = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", "\n", path.read_text(), flags=re.S)
            found |= {" ".join(part.split()) for part in re.split(r"<[^>]+>|\n\s*\n", text)}
        for path in (ROOT / "pledgebank" / folder / "web").glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.add(" ".join(node.value.split()))
    return {text for text in found if len(re.findall(r"[A-Za-z]{2,}", text)) >= 2 and "{" not in text}


FRAGMENTS = _fragments()


class _Text(HTMLParser):
    """The text a reader sees in the page's main part, node by node."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.skip, self.nodes = 0, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.inside += 1
        if tag in ("script", "style", "svg"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "main":
            self.inside -= 1
        if tag in ("script", "style", "svg"):
            self.skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if self.inside and not self.skip and text:
            self.nodes.append(text)


def _nodes(page: str) -> list[str]:
    parser = _Text()
    parser.feed(page)
    return parser.nodes


def _wordy(text: str) -> bool:
    """Whether the text has words of its own (not only a name, amount, date, number or punctuation)."""
    rest = re.sub(r"£[\d,.]+|\d+|https?://\S+", " ", text)
    return len(re.findall(r"[A-Za-z]{3,}", rest)) >= 2


@pytest.fixture(scope="module")
def copies(database_template, stripe_emulator, tmp_path_factory):
    """The seeded demo neighbourhood, made once for the module."""
    with seeded_copies(database_template, tmp_path_factory.mktemp("welsh"), stripe_emulator) as made:
        yield made


def _render(client, path: str, language: str) -> str:
    """The page in the language asked for on its address."""
    response = client.get(f"{path}?lang={language}")
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("endpoint", "needs"), PAGES, ids=[endpoint for endpoint, _ in PAGES])
def test_the_page_has_no_english_left_in_welsh(copies, endpoint, needs):
    app, seeded = copies.app(), copies.seeded
    values = {
        "slug": seeded.slug,
        "levy_id": seeded.levy_id,
        "round_id": seeded.round_id,
        "application_id": seeded.application_id,
        "charge_id": seeded.tools["charge to record"],
    }
    with app.test_request_context():
        path = url_for(endpoint, **{key: values[key] for key in needs})
    client = WebClient(app.test_client())
    client.login(READER.get(endpoint, CHAIR), DEMO_PASSWORD)
    english, welsh = (_nodes(_render(client, path, language)) for language in ("en", "cy"))
    assert english and welsh
    same = set(english) & set(welsh)
    left = [text for text in welsh if text in same and _wordy(text) and _ours(text)]
    assert not left, f"English left on {path} in Welsh: {left}"


def _ours(text: str) -> bool:
    """Whether the text is (or holds) words these features wrote, rather than the neighbourhood's own."""
    if text in AS_IS:
        return False
    return text in FRAGMENTS or any(fragment in text for fragment in FRAGMENTS if len(fragment.split()) >= 3)
