"""The printable flyer's QR code: the pledge's short link, drawn by segno as inline SVG (black on white)."""

from __future__ import annotations

import segno
from markupsafe import Markup

# Medium error correction survives a crease or a smudge on a lamp-post flyer.
ERROR_LEVEL = "m"


def qr_code(url: str) -> segno.QRCode:
    """The QR code of url (the short link)."""
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_svg(url: str, label: str) -> Markup:
    """The QR code as an inline SVG that scales with its box (no width or height, only a viewBox)."""
    svg = qr_code(url).svg_inline(
        scale=1, border=4, omitsize=True, title=label, svgclass="qr", lineclass="qr-modules", dark="#000"
    )
    # segno escapes the title; its <title> names the image for screen readers.
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 (segno's own markup)
