"""Every template's user-facing text is marked for translation (`_()`, `{% trans %}`), so Welsh readers never
meet English left behind. Folders still being marked are listed in NOT_YET_MARKED; the list only shrinks."""

from pathlib import Path

import pytest

from tests.helpers.untranslated import skeleton, unmarked_text

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
# Template folders (and top-level templates) whose text is not marked yet. Remove one the day its text is
# marked; never add one.
NOT_YET_MARKED: frozenset[str] = frozenset()  # every folder is marked now


def _templates() -> list[Path]:
    found = sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt"))
    return [p for p in found if p.relative_to(TEMPLATES).parts[0] not in NOT_YET_MARKED]


@pytest.mark.parametrize("path", _templates(), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_the_template_marks_all_its_text(path):
    assert unmarked_text(path) == [], f"mark these for translation in {path.relative_to(TEMPLATES)}"


def test_the_folders_not_yet_marked_exist():
    """A folder is taken off the list when it is marked (or removed), not left behind."""
    assert {folder for folder in NOT_YET_MARKED if not (TEMPLATES / folder).exists()} == set()


def test_the_check_finds_text_and_read_attributes_but_not_marked_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<h1>{{ _("Marked") }}</h1><p>Left in English</p><img alt="A fence" src="x.png">'
        '<input type="submit" value="Go ahead"><button name="lang" value="cy">{{ _("Go") }}</button>'
        "{% trans %}A <b>whole</b> sentence{% endtrans %}"
        '<a title="{{ _(\'Marked\') }}">PledgeBank</a><script>var words = "not text";</script>'
        "{# a comment #}{{ value }} · {{ other }}",
        encoding="utf-8",
    )
    assert unmarked_text(page) == [
        "Left in English",
        '<img alt="A fence">',
        '<input value="Go ahead">',
    ]
    assert "sentence" not in skeleton(page.read_text(encoding="utf-8"))


def test_a_text_emails_lines_outside_trans_are_found(tmp_path):
    mail = tmp_path / "mail.txt"
    mail.write_text("{% trans name=name %}Hello {{ name }}{% endtrans %}\nThanks from us\n{{ link }}\n")
    assert unmarked_text(mail) == ["Thanks from us"]
