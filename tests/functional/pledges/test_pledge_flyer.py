"""The printable flyer: the sentence, the deadline, tear-off strips, a QR code decoding to the short link."""

from __future__ import annotations

import html
import io
import re

import segno
import zxingcpp
from PIL import Image

from tests.helpers.pledge_pages import make_pledge, people, pledge_row, text_of

BASE = "http://localhost"


def svg_of(page: str) -> str:
    """The first inline QR code SVG on the page."""
    match = re.search(r'<svg role="img"[^>]*class="qr".*?</svg>', page, re.S)
    assert match, "no QR code"
    return match.group(0)


def matrix_of(svg: str) -> list[list[int]]:
    """The dark modules segno's SVG path draws: 'M x y' then runs of 'h n' (draw) and 'm dx dy' (move)."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    path = re.search(r' d="([^"]+)"', svg).group(1)
    grid = [[0] * size for _ in range(size)]
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHh])([-0-9. ]+)", path):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        elif command in "hH":
            end = x + values[0] if command == "h" else values[0]
            for column in range(int(x), int(end)):
                grid[int(y - 0.5)][column] = 1
            x = end
    return grid


def decode(grid: list[list[int]]) -> list[str]:
    """Read QR codes from the grid drawn as a black-on-white picture, four pixels a module."""
    scale = 4
    image = Image.new("L", (len(grid) * scale, len(grid) * scale), 255)
    for row, line in enumerate(grid):
        for column, dark in enumerate(line):
            if dark:
                image.paste(0, (column * scale, row * scale, (column + 1) * scale, (row + 1) * scale))
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_the_qr_code_on_the_flyer_decodes_to_the_short_link(app, sessions, web):
    world = people(sessions)
    pledge = make_pledge(app, world.slug, world.ids["chair"], action="mend the playground fence")
    short = f"{BASE}/p/{pledge_row(sessions, pledge).short_code}"

    page = web.get(f"/p/{pledge}/flyer").get_data(as_text=True)
    svg = svg_of(page)
    grid = matrix_of(svg)
    assert decode(grid) == [short]

    # The page's drawing is segno's matrix of the short link (with its quiet zone), and segno's own PNG of
    # that same code decodes to the short link too.
    code = segno.make(short, error="m", micro=False)
    assert grid == [list(row) for row in code.matrix_iter(border=4)]
    png = io.BytesIO()
    code.save(png, kind="png", scale=4)
    png.seek(0)
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(png))] == [short]
    assert f"<title>QR code for {short}</title>" in svg


def test_a_different_pledge_gets_a_different_code(app, sessions, web):
    world = people(sessions)
    first = make_pledge(app, world.slug, world.ids["chair"])
    second = make_pledge(app, world.slug, world.ids["chair"])
    codes = [
        decode(matrix_of(svg_of(web.get(f"/p/{p}/flyer").get_data(as_text=True)))) for p in (first, second)
    ]
    assert codes == [
        [f"{BASE}/p/{pledge_row(sessions, first).short_code}"],
        [f"{BASE}/p/{pledge_row(sessions, second).short_code}"],
    ]


def test_the_flyer_says_the_sentence_the_deadline_and_has_tear_off_strips(app, sessions, web):
    world = people(sessions)
    pledge = make_pledge(app, world.slug, world.ids["chair"], action="mend the playground fence")
    plain = f"localhost/p/{pledge_row(sessions, pledge).short_code}"

    a4 = web.get(f"/p/{pledge}/flyer")
    assert a4.status_code == 200
    text = text_of(a4)
    assert (
        "Chair Person will mend the playground fence with £10 a person, but only if 2 people will too."
        in text
    )
    assert "Pledge by 12 March 2026, 10:00 . Nobody pays a penny unless the target is met." in text
    page = a4.get_data(as_text=True)
    strips = re.findall(
        r'<li><span class="strip-text"><span[^>]*>[^<]*</span><strong>([^<]*)</strong></span></li>', page
    )
    assert strips == [plain] * 6
    assert page.count('<article class="flyer') == 1
    assert 'href="/static/flyer.css"' in page

    a5 = web.get(f"/p/{pledge}/flyer?layout=a5").get_data(as_text=True)
    assert a5.count('<article class="flyer') == 2
    assert a5.count('aria-hidden="true"') == 1  # the second copy is not read out twice
    assert len(re.findall(r'<svg role="img"', a5)) == 2
    assert web.get(f"/p/{pledge}/flyer?layout=<b>").status_code == 200


def test_the_flyer_escapes_what_people_wrote(app, sessions, web):
    world = people(sessions)
    pledge = make_pledge(
        app, world.slug, world.ids["chair"], title="<script>alert(1)</script> fence", action="fix <b>it</b>"
    )
    page = web.get(f"/p/{pledge}/flyer").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<b>it</b>" not in page
    assert html.escape("<script>alert(1)</script> fence", quote=False) in page


def test_the_print_stylesheet_sets_an_a4_page():
    from pathlib import Path

    import pledgebank

    css = (Path(pledgebank.__file__).parent / "static" / "flyer.css").read_text()
    assert "@page { size: A4 portrait;" in css and "@media print" in css
