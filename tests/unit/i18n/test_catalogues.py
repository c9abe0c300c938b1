"""The message catalogues: in step with the code and templates (scripts/check_catalogues.py, also run by
.ci/run), and the Welsh complete, each translation keeping its original's placeholders."""

import importlib.util
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[3] / "scripts"


def _check_catalogues():
    sys.path.insert(0, str(SCRIPTS))
    try:
        spec = importlib.util.spec_from_file_location("check_catalogues", SCRIPTS / "check_catalogues.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(SCRIPTS))


def test_the_catalogues_are_in_step_with_the_code_and_templates():
    assert _check_catalogues().stale() == [], "run scripts/update_catalogues.py"


def test_every_message_has_welsh_with_the_same_placeholders():
    assert _check_catalogues().incomplete() == []


def test_a_translation_with_other_placeholders_is_found():
    placeholders = _check_catalogues()._placeholders
    assert placeholders("Hello %(name)s, you gave %(amount)s") == ["%(amount)s", "%(name)s"]
    assert placeholders("Helo %(enw)s") != placeholders("Hello %(name)s")
