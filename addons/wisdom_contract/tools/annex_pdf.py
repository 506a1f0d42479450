"""Product annex of a contract (合同附件产品清单) as a PDF, drawn with reportlab.

Pure Python so that it works without wkhtmltopdf (not installed on every server). Chinese text
uses reportlab's built-in CID font STSong-Light (no font file needed).
"""

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"


@dataclass(frozen=True)
class AnnexLine:
    code: str
    name: str
    quantity: float
    uom: str
    price_unit: float
    subtotal: float


def _font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def render(title, subtitle, lines, total_label, total, headers):
    """PDF bytes of the annex: a title, a subtitle line and a table of ``lines`` with a total.

    ``headers`` are the six column titles (code, product, quantity, unit, unit price, subtotal),
    passed in so that the caller translates them.
    """
    font = _font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=15, leading=20, spaceAfter=4)
    text_style = ParagraphStyle("text", fontName=font, fontSize=9, leading=12)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm
    )
    rows = [list(headers)]
    for line in lines:
        rows.append(
            [
                Paragraph(line.code or "", text_style),
                Paragraph(line.name, text_style),
                f"{line.quantity:,.2f}",
                line.uom,
                f"{line.price_unit:,.2f}",
                f"{line.subtotal:,.2f}",
            ]
        )
    rows.append(["", total_label, "", "", "", f"{total:,.2f}"])
    table = Table(rows, colWidths=[28 * mm, 70 * mm, 20 * mm, 14 * mm, 24 * mm, 26 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    document.build([Paragraph(title, title_style), Paragraph(subtitle, text_style), Spacer(1, 6 * mm), table])
    return buffer.getvalue()
