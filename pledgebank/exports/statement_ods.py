"""The receipts-and-payments account as an OpenDocument spreadsheet: the CSV's rows, amounts as numbers.

Amounts are written as exact decimals in major units (the cell's value is text such as "12.34", never a
float), so a spreadsheet adds them up to the penny. Headings and labels are written in the language of the
request making the file (`str()` of a `_t` message translates).
"""

from __future__ import annotations

import io

from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P

from pledgebank.exports.naming import major
from pledgebank.exports.receipts_payments import ReceiptsAndPayments
from pledgebank.exports.rp_table import table

MEDIA_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


def _text(value: str, style: Style | None = None) -> TableCell:
    cell = TableCell(valuetype="string", stylename=style) if style else TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


def _amount(value: int, currency: str) -> TableCell:
    text = major(value, currency)
    cell = TableCell(valuetype="currency", currency=currency, value=text)
    cell.addElement(P(text=text))
    return cell


def receipts_and_payments_ods(statement: ReceiptsAndPayments, title: str) -> bytes:
    """The statement as the bytes of an .ods file with one sheet named after the year."""
    document = OpenDocumentSpreadsheet()
    bold = Style(name="heading", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    wide = Style(name="wide", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="2.6in"))
    narrow = Style(name="narrow", family="table-column")
    narrow.addElement(TableColumnProperties(columnwidth="1.3in"))
    for style in (bold, wide, narrow):
        document.automaticstyles.addElement(style)
    sheet = Table(name=title[:31])
    sheet.addElement(TableColumn(stylename=wide, numbercolumnsrepeated=2))
    sheet.addElement(TableColumn(stylename=narrow, numbercolumnsrepeated=5))
    for row in table(statement):
        line = TableRow()
        style = bold if row.heading else None
        line.addElement(_text(row.section, style))
        line.addElement(_text(row.label, style))
        for value in row.cells:
            if isinstance(value, str):
                line.addElement(_text(value, style))
            elif value is None:
                line.addElement(TableCell())
            else:
                line.addElement(_amount(value, statement.currency))
        sheet.addElement(line)
    document.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
