"""What a file is, from its bytes: the three allowed types pass; anything else, a file claiming to be what it
is not, an empty or huge file, archives and bombs are refused beside the file field, in bounded memory."""

from __future__ import annotations

import io
import time
import tracemalloc

import pytest
from PIL import Image

from pledgebank.documents import content
from pledgebank.errors import InvalidInput
from tests.factories.documents import jpeg, pdf, pdf_bomb, png, zip_bomb

LIMIT = 1024 * 1024


def _refusal(name: str, data: bytes, max_bytes: int = LIMIT) -> str:
    with pytest.raises(InvalidInput) as refused:
        content.check_upload(name, data, max_bytes=max_bytes)
    assert list(refused.value.fields) == ["file"]
    return refused.value.fields["file"][0]


@pytest.mark.parametrize(
    ("name", "make", "media_type"),
    [
        ("invoice.pdf", pdf, "application/pdf"),
        ("scan.PNG", png, "image/png"),
        ("photo.jpeg", jpeg, "image/jpeg"),
    ],
)
def test_the_allowed_types_pass_by_their_content(name, make, media_type):
    checked = content.check_upload(name, make(), max_bytes=LIMIT)
    assert checked.media_type == media_type and checked.filename == name
    # The name's extension is not what decides: no extension at all is fine too.
    assert content.check_upload("scan", make(), max_bytes=LIMIT).media_type == media_type


def test_a_file_over_the_limit_is_refused_by_its_size():
    assert "larger than 1 MB" in _refusal("big.pdf", pdf() + b"\n%" + b"x" * LIMIT)


def test_a_zip_or_a_docx_is_refused_whatever_its_name():
    for name in ("report.docx", "invoice.pdf", "evidence.zip"):
        assert "ZIP archive" in _refusal(name, zip_bomb())


def test_a_pdf_bomb_is_refused_without_inflating_it():
    bomb = pdf_bomb()  # about 200 KB that would inflate to 200 MB
    assert len(bomb) < LIMIT
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = _refusal("bomb.pdf", bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "PDF" in message
    assert peak < content.MAX_PDF_STREAM * 2, peak
    assert time.perf_counter() - started < 30


def test_an_image_of_too_many_pixels_is_refused_without_decoding_it():
    out = io.BytesIO()
    Image.new("1", (8_000, 6_000)).save(out, format="PNG")  # 48 million pixels, a few KB
    assert "too large in pixels" in _refusal("huge.png", out.getvalue())


@pytest.mark.parametrize(
    "name", ["a/b.pdf", "a\\b.pdf", "..", "tab\there.pdf", "nul\x00.pdf", "rtl\u202egnp.pdf"]
)
def test_names_with_separators_or_control_characters_are_refused(name):
    assert "rename" in _refusal(name, pdf())


def test_a_long_name_is_refused():
    assert "longer than 120" in _refusal("x" * 121 + ".pdf", pdf())
