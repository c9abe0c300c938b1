"""Text the web layer writes in Python for people (a form error, a flashed note, a choice's label, the name of
a field inside a parser's sentence) is marked for translation, so a Welsh page never shows English left
behind. A plain string literal, or an f-string, in one of those places fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "pledgebank"
# Calls whose first argument is a sentence for people.
SENTENCE_FIRST = {"ValidationError", "flash", "StopValidation", "DataRequired", "InputRequired"}
# Keywords whose value is a sentence or a label for people, in any call.
FOR_PEOPLE = {"what", "message", "label", "description", "title", "button", "back_label", "heading"}
# Keywords whose value is a list of sentences for people.
SENTENCES = {"consequences"}
# Calls whose second argument is a label or a field's name for people.
LABEL_SECOND = {"SelectChoice", "_money", "_figure", "_date"}


def _web_modules() -> list[Path]:
    # The JSON API (modules named for it) answers and documents itself in English.
    found = sorted(p for p in PACKAGE.rglob("*.py") if "web" in p.relative_to(PACKAGE).parts[:-1])
    return [p for p in found if "api" not in p.stem]


def _plain(node: ast.AST | None) -> bool:
    if isinstance(node, ast.BinOp):  # "text " + other text
        return _plain(node.left) or _plain(node.right)
    if isinstance(node, ast.IfExp):
        return _plain(node.body) or _plain(node.orelse)
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip() != ""
    )


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def unmarked(path: Path) -> list[str]:
    """Lines of path where text for people is a plain literal."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name, args = _name(node), node.args
        if name == "Blueprint":  # the JSON API's blueprints describe themselves in its English documentation
            continue
        suspects = [kw.value for kw in node.keywords if kw.arg in FOR_PEOPLE]
        for kw in node.keywords:
            if kw.arg in SENTENCES and isinstance(kw.value, ast.List | ast.Tuple):
                suspects += kw.value.elts
        if (name in SENTENCE_FIRST or name.endswith("Field")) and args:
            suspects.append(args[0])
        if name in LABEL_SECOND and len(args) > 1:
            suspects.append(args[1])
        found += [f"line {s.lineno}: {ast.unparse(s)[:60]}" for s in suspects if _plain(s)]
    return found


@pytest.mark.parametrize("path", _web_modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_the_web_layer_marks_its_text_for_people(path):
    assert unmarked(path) == [], f"mark these for translation in {path.relative_to(PACKAGE)}"


def test_a_plain_literal_is_found(tmp_path):
    sample = tmp_path / "forms.py"
    sample.write_text('raise ValidationError("Enter it.")\nform_money(x, "GBP", what=f"line {n}")\n')
    assert [line.split(":")[0] for line in unmarked(sample)] == ["line 1", "line 2"]
