"""No Python module of pledgebank writes a currency's sign or name itself: money becomes text through
pledgebank.money_words, so the configured currency and locale decide it. Comments and docstrings may say
"£" or "pounds"; strings the code uses may not."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pledgebank

PACKAGE = Path(pledgebank.__file__).parent
VOCABULARY = PACKAGE / "money_words.py"
HARD_WIRED = re.compile(r"£|\bpounds\b", re.IGNORECASE)


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the string nodes that are docstrings (a module's, class's or function's first statement)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def hard_wired(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string in the source, docstrings aside, that names the pound."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and HARD_WIRED.search(node.value)
    ]


def test_the_check_tells_code_from_comments_and_docstrings():
    source = '"""Costs £10."""\n# ten pounds\ndef f():\n    """In pounds."""\n    return f"{1} pounds", "£"\n'
    assert sorted(text for _, text in hard_wired(source)) == [" pounds", "£"]


def test_no_currency_is_hard_wired_outside_the_vocabulary():
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {text!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != VOCABULARY
        for line, text in hard_wired(path.read_text(encoding="utf-8"))
    ]
    assert found == []
