"""What an uploaded file is, decided from its bytes, never from its name.

Two steps, both ours: the signature (the first bytes: `%PDF-`, PNG's eight bytes, JPEG's start-of-image
marker) says which of the three allowed types it claims to be; then a structural check parses it: a PDF
must open with pypdf and have at least one page, and an image must open with Pillow and pass its `verify()`.
Neither decompresses page contents or pixels, and both are bounded: pypdf's streams are decompressed to at
most `MAX_PDF_STREAM` bytes (a "bomb" stream is refused, not inflated), and an image may have at most
`MAX_PIXELS` pixels. A ZIP (and so a .docx or .xlsx) is not an allowed type, whatever its name.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from dataclasses import dataclass
from typing import Any

from pledgebank.errors import InvalidInput

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg"}
_SIGNATURES = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
MAX_PIXELS = 40_000_000
MAX_PDF_STREAM = 20 * 1024 * 1024
MAX_FILENAME = 120
FIELD = "file"
_SEPARATORS = re.compile(r"[/\\]")
TYPES_IN_WORDS = "a PDF, PNG or JPEG file"


@dataclass(frozen=True, slots=True)
class Checked:
    """A file that passed: its cleaned name, its media type and its bytes."""

    filename: str
    media_type: str
    data: bytes


def refuse(message: str, field: str = FIELD) -> InvalidInput:
    """The error beside the file field (or another)."""
    return InvalidInput.field(field, message)


def clean_filename(name: str | None) -> str:
    """The uploaded name, refused if it holds a path separator or a control character, or is too long."""
    text = unicodedata.normalize("NFC", (name or "").strip())
    if not text:
        raise refuse("The file has no name: choose the file again.")
    if _SEPARATORS.search(text) or text in (".", ".."):
        raise refuse("The file's name may not contain / or \\: rename the file and upload it again.")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") for char in text):
        raise refuse("The file's name holds a control character: rename the file and upload it again.")
    if len(text) > MAX_FILENAME:
        raise refuse(f"The file's name is longer than {MAX_FILENAME} characters: rename it and try again.")
    return text


def media_type_of(data: bytes) -> str | None:
    """The allowed type the bytes start as, or None."""
    for signature, media_type in _SIGNATURES:
        if data.startswith(signature):
            return media_type
    return None


def check_upload(name: str | None, data: bytes, *, max_bytes: int) -> Checked:
    """The file, checked; InvalidInput beside the file field if it is empty, too big or not what it says."""
    filename = clean_filename(name)
    if not data:
        raise refuse("The file is empty: choose the file again.")
    if len(data) > max_bytes:
        raise refuse(f"The file is larger than {_size_words(max_bytes)}: send a smaller copy.")
    media_type = media_type_of(data)
    if media_type is None:
        if data.startswith(_ZIP):
            raise refuse(f"This is a ZIP archive (or a Word or Excel file): upload {TYPES_IN_WORDS}.")
        raise refuse(f"This file is not {TYPES_IN_WORDS}, whatever its name says.")
    claimed = _claimed(filename)
    if claimed is not None and claimed != media_type:
        raise refuse(f"The file's name says {_word(claimed)} but its content is {_word(media_type)}.")
    if media_type == PDF:
        _check_pdf(data)
    else:
        _check_image(data, media_type)
    return Checked(filename=filename, media_type=media_type, data=data)


def _claimed(filename: str) -> str | None:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return {"pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG}.get(extension)


def _word(media_type: str) -> str:
    return {PDF: "a PDF", PNG: "a PNG image", JPEG: "a JPEG image"}[media_type]


def _size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB"


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import PyPdfError

    # Bounded decompression: a stream that would inflate past the limit raises instead of filling memory.
    limits: dict[str, Any] = {
        name: MAX_PDF_STREAM
        for name in (
            "zlib_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "brotli_maximum_output_length",
            "array_based_stream_maximum_output_length",
            "maximum_declared_stream_length",
        )
    }
    try:
        with warnings.catch_warnings(), apply_configuration(**limits):
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise refuse("The PDF is protected by a password: save an unprotected copy and upload that.")
            pages = len(reader.pages)
    except InvalidInput:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        raise refuse("The file starts like a PDF but is not a readable PDF.") from error
    if pages < 1:
        raise refuse("The PDF has no pages.")


def _check_image(data: bytes, media_type: str) -> None:
    from PIL import Image, UnidentifiedImageError

    expected = {PNG: "PNG", JPEG: "JPEG"}[media_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[expected]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise refuse("The image is too large in pixels: send a smaller scan or photo.")
                image.verify()
    except InvalidInput:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise refuse("The image is too large in pixels: send a smaller scan or photo.") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise refuse(f"The file starts like {_word(media_type)} but is not a readable image.") from error
