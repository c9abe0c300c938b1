"""A claim's gifts in the layout of HMRC's Charities Online Gift Aid schedule spreadsheet, as an .ods file.

One row per gift under the schedule's headings: title, first name, last name, house name or number,
postcode, aggregated donations, sponsored event, donation date (DD/MM/YY) and amount (2 decimal places, no
currency sign), from the declaration that covers the gift. Blank where a heading does not apply, as HMRC asks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.giftaid.models import GiftAidClaim, GiftAidClaimLine, GiftAidDeclaration

MEDIA_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
HEADINGS = (
    "Title",
    "First name",
    "Last name",
    "House name or number",
    "Postcode",
    "Aggregated donations",
    "Sponsored event",
    "Donation date",
    "Amount",
)


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One gift on the schedule."""

    title: str
    first_name: str
    last_name: str
    house: str
    postcode: str
    on: date
    amount: int

    def cells(self) -> list[str]:
        """The row's cells as HMRC's schedule wants them written."""
        pounds, pence = divmod(self.amount, 100)
        # HMRC: a double-barrelled last name with a space, not a hyphen.
        last = self.last_name.replace("-", " ")
        return [
            self.title,
            self.first_name,
            last,
            self.house,
            self.postcode,
            "",
            "",
            f"{self.on:%d/%m/%y}",
            f"{pounds}.{pence:02d}",
        ]


def schedule_rows(session: Session, claim: GiftAidClaim) -> list[ScheduleRow]:
    """The claim's gifts, oldest first, with the donor's details from the declaration covering each."""
    rows = session.execute(
        select(GiftAidClaimLine, GiftAidDeclaration)
        .join(GiftAidDeclaration, GiftAidDeclaration.id == GiftAidClaimLine.declaration_id)
        .where(GiftAidClaimLine.claim_id == claim.id)
        .order_by(GiftAidClaimLine.gift_date, GiftAidClaimLine.id)
    ).all()
    return [
        ScheduleRow(d.title, d.first_name, d.last_name, d.house, d.postcode, line.gift_date, line.amount)
        for line, d in rows
    ]


def _cell(text: str, *, number: bool = False) -> TableCell:
    cell = TableCell(valuetype="float", value=text) if number and text else TableCell(valuetype="string")
    if text:
        cell.addElement(P(text=text))
    return cell


def schedule_ods(rows: list[ScheduleRow]) -> bytes:
    """The schedule as the bytes of an .ods file: the headings, then a row per gift."""
    document = OpenDocumentSpreadsheet()
    sheet = Table(name="Gift Aid schedule")
    heading = TableRow()
    for text in HEADINGS:
        heading.addElement(_cell(text))
    sheet.addElement(heading)
    for row in rows:
        line = TableRow()
        cells = row.cells()
        for index, text in enumerate(cells):
            line.addElement(_cell(text, number=index == len(cells) - 1))
        sheet.addElement(line)
    document.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
