"""Receipts (nota) and invoices (faktur) as PDF, in the shop's language (Indonesian by default).

The content is assembled first as plain values (:func:`receipt_document`, easy to test), then
drawn by fpdf2 (:func:`receipt_pdf`). DejaVu Sans from Debian's ``fonts-dejavu-core`` is
embedded when present, so names with any letter print; without it the core Helvetica font is
used and text is reduced to Latin-1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from sinergi.accounts.api import Organisation
from sinergi.commerce.models import Order, OrderStatus, PaymentMethod
from sinergi.core.money import format_rupiah

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
RECEIPT = "receipt"
INVOICE = "invoice"
KINDS = (RECEIPT, INVOICE)


@dataclass
class ReceiptDocument:
    """Everything a receipt or invoice prints, already formatted as text."""

    title: str
    shop_lines: list[str]
    facts: list[tuple[str, str]]
    columns: tuple[str, str, str, str]
    rows: list[tuple[str, str, str, str]]
    totals: list[tuple[str, str, bool]]
    status: str
    payments: list[str] = field(default_factory=list)
    footer: str = ""


def _shop_lines(organisation: Organisation) -> list[str]:
    lines = [organisation.name]
    if organisation.address:
        lines.append(organisation.address)
    place = ", ".join(
        str(p.name) for p in (organisation.regency, organisation.province) if p is not None
    )
    if place:
        lines.append(place)
    contact = " · ".join(x for x in (organisation.phone, organisation.email) if x)
    if contact:
        lines.append(contact)
    return lines


def _totals(order: Order, language: str) -> list[tuple[str, str, bool]]:
    def money(amount: int) -> str:
        return format_rupiah(amount, language=language)

    totals = [(_("Subtotal"), money(order.subtotal), False)]
    if order.shipping_fee:
        totals.append((_("Shipping"), money(order.shipping_fee), False))
    if order.discount:
        totals.append((_("Discount"), "-" + money(order.discount), False))
    totals.append((_("Total"), money(order.total), True))
    totals.append((_("Paid"), money(order.amount_paid), False))
    if order.balance_due:
        totals.append((_("Still owed"), money(order.balance_due), True))
    return totals


def _status(order: Order, language: str) -> str:
    if order.status == OrderStatus.CANCELLED:
        return _("CANCELLED")
    if order.is_paid:
        return _("PAID IN FULL")
    if order.amount_paid:
        return _("PARTLY PAID — %(due)s still owed") % {
            "due": format_rupiah(order.balance_due, language=language)
        }
    if order.payment_method == PaymentMethod.COD:
        return _("NOT PAID YET — cash on delivery")
    return _("NOT PAID YET")


def receipt_document(
    order: Order, organisation: Organisation, *, kind: str = RECEIPT, language: str = "id"
) -> ReceiptDocument:
    """The text of a receipt (``kind="receipt"``) or invoice (``"invoice"``) for ``order``."""
    with translation.override(language):
        placed = timezone.localtime(order.placed_at)
        facts = [
            (_("Number"), order.number),
            (_("Date"), date_format(placed, "j F Y, H:i")),
            (_("Channel"), str(order.get_channel_display())),
        ]
        customer = " · ".join(x for x in (order.customer_name, order.customer_phone) if x)
        if customer:
            facts.append((_("Customer"), customer))
        if order.address:
            facts.append((_("Deliver to"), order.address.replace("\n", ", ")))
        if order.delivery_note:
            facts.append((_("Note"), order.delivery_note))
        rows = [
            (
                line.product_name + (f" — {line.variant_name}" if line.variant_name else ""),
                str(line.quantity),
                format_rupiah(line.unit_price, language=language),
                format_rupiah(line.line_total, language=language),
            )
            for line in order.lines.all()
        ]
        methods = dict(PaymentMethod.choices)
        payments = [
            f"{date_format(timezone.localtime(p.paid_at), 'j M Y')} · "
            f"{methods.get(p.method, p.method)} · {format_rupiah(p.amount, language=language)}"
            + (f" · {p.reference}" if p.reference else "")
            for p in order.payments.all()
        ]
        return ReceiptDocument(
            title=_("RECEIPT") if kind == RECEIPT else _("INVOICE"),
            shop_lines=_shop_lines(organisation),
            facts=facts,
            columns=(_("Item"), _("Qty"), _("Price"), _("Amount")),
            rows=rows,
            totals=_totals(order, language),
            status=_status(order, language),
            payments=payments,
            footer=_("Thank you for shopping with us.")
            if kind == RECEIPT
            else _("Please pay the amount owed to the shop. Thank you."),
        )


def _font(pdf: FPDF) -> tuple[str, bool]:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu", True
    return "Helvetica", False


def receipt_pdf(document: ReceiptDocument) -> bytes:
    """Draw the document on an A5 page (fits a phone screen and a small printer)."""
    pdf = FPDF(format=(148, 210))  # A5 in mm
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_margins(10, 10, 10)
    pdf.add_page()
    family, unicode_font = _font(pdf)

    def text(value: str) -> str:
        if unicode_font:
            return value
        return (
            value.replace("\u00a0", " ")
            .replace("—", "-")
            .replace("·", "-")
            .encode("latin-1", "replace")
            .decode("latin-1")
        )

    width = pdf.epw
    pdf.set_font(family, "B", 14)
    pdf.cell(width, 7, text(document.shop_lines[0]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 8.5)
    for line in document.shop_lines[1:]:
        pdf.multi_cell(width, 4.5, text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(family, "B", 12)
    pdf.cell(width, 7, text(document.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    for label, value in document.facts:
        pdf.set_font(family, "B", 9)
        pdf.cell(28, 5, text(label))
        pdf.set_font(family, "", 9)
        pdf.multi_cell(width - 28, 5, text(value), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    widths = (width - 12 - 26 - 28, 12, 26, 28)
    pdf.set_font(family, "B", 9)
    pdf.set_fill_color(230, 240, 239)
    for column, (heading, w) in enumerate(zip(document.columns, widths, strict=True)):
        pdf.cell(w, 6, text(heading), border="B", align="L" if column == 0 else "R", fill=True)
    pdf.ln()
    pdf.set_font(family, "", 9)
    for row in document.rows:
        name_lines = cast(
            "list[str]",
            pdf.multi_cell(widths[0], 5, text(row[0]), align="L", dry_run=True, output="LINES"),
        )
        y = pdf.get_y()
        pdf.multi_cell(widths[0], 5, text(row[0]), align="L", new_x="RIGHT", new_y="TOP")
        for value, w in zip(row[1:], widths[1:], strict=True):
            pdf.cell(w, 5, text(value), align="R")
        pdf.set_xy(pdf.l_margin, y + 5 * max(len(name_lines), 1))
    pdf.ln(1)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.ln(1)
    for label, value, bold in document.totals:
        pdf.set_font(family, "B" if bold else "", 9.5 if bold else 9)
        pdf.cell(width - 34, 5.5, text(label), align="R")
        pdf.cell(34, 5.5, text(value), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(family, "B", 10)
    pdf.multi_cell(
        width, 6, text(document.status), border=1, align="C", new_x="LMARGIN", new_y="NEXT"
    )
    if document.payments:
        pdf.ln(2)
        pdf.set_font(family, "", 8.5)
        for payment in document.payments:
            pdf.multi_cell(width, 4.5, text(payment), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(family, "", 8.5)
    pdf.multi_cell(width, 4.5, text(document.footer), align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
