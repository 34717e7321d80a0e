"""Order exports of Shopee, Tokopedia and TikTok Shop, read into orders grouped by number.

Assumed layouts (the sellers' "Export pesanan" files; one row per order line, the order's
fields repeated on each of its rows). Header names were checked against public code that
reads these exports; each field accepts the spellings listed below, and the header row may
sit below a few title lines (Tokopedia puts it on line 5, TikTok Shop adds a line of
column descriptions under it, which is skipped).

Shopee (Seller Centre → Pesanan Saya → Ekspor), sheet "orders":
    "No. Pesanan", "Status Pesanan", "Waktu Pesanan Dibuat", "SKU Induk", "Nama Produk",
    "Nomor Referensi SKU", "Nama Variasi", "Harga Awal", "Harga Setelah Diskon", "Jumlah",
    "Total Harga Produk", "Ongkos Kirim Dibayar oleh Pembeli", "Total Pembayaran",
    "Username (Pembeli)", "Nama Penerima", "No. Telepon", "Alamat Pengiriman".
Tokopedia (Seller → Pesanan → Download Laporan Penjualan), header on line 5:
    "Nomor Invoice" (or "Invoice"), "Tanggal Pembayaran", "Status Terakhir", "Nama Produk",
    "Nomor SKU" (or "SKU"), "Jumlah Produk Dibeli", "Harga Awal (IDR)", "Harga Jual (IDR)",
    "Nama Pembeli", "Nama Penerima", "No Telp Penerima", "Alamat Pengiriman".
TikTok Shop (Seller Center → Orders → Export, "OrderSKUList"):
    "Order ID", "Order Status", "Seller SKU", "Product Name", "Variation", "Quantity",
    "SKU Unit Original Price", "SKU Subtotal After Discount", "Shipping Fee After Discount",
    "Order Amount", "Created Time", "Buyer Username", "Recipient", "Phone #",
    "Detail Address".

Prices are integer rupiah; unit prices are the price the buyer paid after discounts
(TikTok gives a line subtotal, divided by the quantity). Marketplace statuses map to ours in
``STATUSES``; an unknown status is a row error rather than a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import phonenumbers
from django.utils.translation import gettext as _

from sinergi.commerce.imports.tables import (
    Row,
    Table,
    header_key,
    parse_datetime,
    parse_quantity,
    parse_rupiah,
    table_read,
)

# Our order statuses, as strings (they equal OrderStatus values in models/orders.py).
PLACED, PAID, SHIPPED, COMPLETED, CANCELLED, RETURNED = (
    "placed",
    "paid",
    "shipped",
    "completed",
    "cancelled",
    "returned",
)


@dataclass(frozen=True)
class Layout:
    """Where a marketplace puts each field, and what its statuses mean."""

    channel: str
    label: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    statuses: dict[str, str]
    # TikTok gives the line subtotal, the others a unit price.
    price_is_line_total: bool = False
    skip_row: Callable[[Row], bool] | None = None


def _status_map(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {header_key(text): ours for ours, texts in pairs.items() for text in texts}


SHOPEE = Layout(
    channel="shopee",
    label="Shopee",
    columns={
        "order": ("No. Pesanan", "No Pesanan", "Nomor Pesanan", "Order ID"),
        "status": ("Status Pesanan", "Order Status"),
        "placed_at": ("Waktu Pesanan Dibuat", "Order Creation Date"),
        "sku": ("Nomor Referensi SKU", "SKU Reference No."),
        "parent_sku": ("SKU Induk", "Parent SKU Reference No."),
        "product": ("Nama Produk", "Product Name"),
        "variant": ("Nama Variasi", "Variation Name"),
        "quantity": ("Jumlah", "Quantity"),
        "unit_price": ("Harga Setelah Diskon", "Deal Price"),
        "shipping_fee": ("Ongkos Kirim Dibayar oleh Pembeli", "Buyer Paid Shipping Fee"),
        "total": ("Total Pembayaran", "Grand Total"),
        "buyer": ("Username (Pembeli)", "Username (Buyer)"),
        "name": ("Nama Penerima", "Receiver Name"),
        "phone": ("No. Telepon", "Phone Number"),
        "address": ("Alamat Pengiriman", "Delivery Address"),
    },
    required=("order", "status", "quantity", "unit_price"),
    statuses=_status_map(
        {
            PLACED: ("Belum Bayar", "Unpaid"),
            PAID: ("Perlu Dikirim", "Sedang Diproses", "To Ship", "Siap Dikirim"),
            SHIPPED: ("Dikirim", "Sedang Dikirim", "Shipping", "Telah Dikirim", "Pesanan Diterima"),
            COMPLETED: ("Selesai", "Completed"),
            CANCELLED: ("Batal", "Dibatalkan", "Cancelled"),
            RETURNED: ("Pengembalian Barang/Dana", "Pengembalian", "Return/Refund"),
        }
    ),
)

TOKOPEDIA = Layout(
    channel="tokopedia",
    label="Tokopedia",
    columns={
        "order": ("Nomor Invoice", "Invoice", "No. Invoice"),
        "status": ("Status Terakhir", "Status Pesanan", "Status"),
        "placed_at": ("Tanggal Pembayaran", "Payment Date"),
        "sku": ("Nomor SKU", "SKU", "Stock Keeping Unit (SKU)"),
        "product": ("Nama Produk", "Product Name"),
        "variant": ("Tipe Produk", "Variasi"),
        "quantity": ("Jumlah Produk Dibeli", "Quantity"),
        "unit_price": ("Harga Jual (IDR)", "Price (Rp.)"),
        "shipping_fee": ("Biaya Pengiriman Tunai (IDR)", "Ongkos Kirim (IDR)"),
        "total": ("Total Penjualan (IDR)", "Total Amount (Rp.)"),
        "buyer": ("Nama Pembeli", "Customer Name"),
        "name": ("Nama Penerima", "Recipient"),
        "phone": ("No Telp Penerima", "No. Telp Penerima", "Recipient Number"),
        "address": ("Alamat Pengiriman", "Recipient Address"),
    },
    required=("order", "quantity", "unit_price"),
    statuses=_status_map(
        {
            PLACED: ("Menunggu Pembayaran",),
            PAID: (
                "Menunggu Konfirmasi",
                "Pesanan Diproses",
                "Pesanan Baru",
                "Siap Dikirim",
                "Menunggu Pickup",
            ),
            SHIPPED: ("Pesanan Dikirim", "Sedang Dikirim", "Pesanan Tiba", "Dalam Pengiriman"),
            COMPLETED: ("Pesanan Selesai", "Selesai"),
            CANCELLED: (
                "Pesanan Dibatalkan",
                "Dibatalkan",
                "Dibatalkan Sistem",
                "Dibatalkan Penjual",
            ),
            RETURNED: ("Pengembalian Dana", "Dikomplain", "Retur"),
        }
    ),
)


def _tiktok_description_row(row: Row) -> bool:
    """TikTok repeats a line of column descriptions under the header: no digit in the id."""
    return not re.search(r"\d", row.text("order"))


TIKTOK_SHOP = Layout(
    channel="tiktok_shop",
    label="TikTok Shop",
    columns={
        "order": ("Order ID", "ID Pesanan"),
        "status": ("Order Status", "Status Pesanan"),
        "placed_at": ("Created Time", "Waktu Dibuat"),
        "sku": ("Seller SKU", "SKU Penjual"),
        "product": ("Product Name", "Nama Produk"),
        "variant": ("Variation", "Variasi"),
        "quantity": ("Quantity", "Kuantitas", "Jumlah"),
        "unit_price": ("SKU Subtotal After Discount", "Subtotal SKU Setelah Diskon"),
        "shipping_fee": ("Shipping Fee After Discount",),
        "total": ("Order Amount", "Jumlah Pesanan"),
        "buyer": ("Buyer Username", "Nama Pengguna Pembeli"),
        "name": ("Recipient", "Penerima"),
        "phone": ("Phone #", "No. Telepon"),
        "address": ("Detail Address", "Alamat Detail"),
    },
    required=("order", "status", "quantity", "unit_price"),
    statuses=_status_map(
        {
            PLACED: ("Unpaid", "Belum dibayar", "On hold"),
            PAID: ("To ship", "Awaiting shipment", "Awaiting collection", "Akan dikirim"),
            SHIPPED: ("Shipped", "In transit", "Delivered", "Dikirim", "Dalam pengiriman"),
            COMPLETED: ("Completed", "Selesai"),
            CANCELLED: ("Cancelled", "Canceled", "Dibatalkan"),
            RETURNED: ("Return/Refund", "Returned", "Dikembalikan"),
        }
    ),
    price_is_line_total=True,
    skip_row=_tiktok_description_row,
)

LAYOUTS: dict[str, Layout] = {layout.channel: layout for layout in (SHOPEE, TOKOPEDIA, TIKTOK_SHOP)}


@dataclass
class MarketplaceLine:
    row: int
    sku: str
    product_name: str
    variant_name: str
    quantity: int
    unit_price: int
    variant_id: int | None = None


@dataclass
class MarketplaceOrder:
    """One marketplace order: its rows grouped, checked, with our status for it."""

    external_id: str
    status: str = PLACED
    raw_status: str = ""
    placed_at: datetime | None = None
    customer_name: str = ""
    customer_phone: str = ""
    address: str = ""
    shipping_fee: int = 0
    total: int | None = None
    rows: list[int] = field(default_factory=list)
    lines: list[MarketplaceLine] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(line.unit_price * line.quantity for line in self.lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "external_id": self.external_id,
            "status": self.status,
            "raw_status": self.raw_status,
            "placed_at": self.placed_at.isoformat() if self.placed_at else None,
            "customer_name": self.customer_name,
            "customer_phone": self.customer_phone,
            "address": self.address,
            "shipping_fee": self.shipping_fee,
            "total": self.total,
            "rows": self.rows,
            "lines": [vars(line) for line in self.lines],
            "errors": self.errors,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MarketplaceOrder:
        order = cls(**{k: v for k, v in data.items() if k not in {"lines", "placed_at"}})
        order.placed_at = datetime.fromisoformat(data["placed_at"]) if data["placed_at"] else None
        order.lines = [MarketplaceLine(**line) for line in data["lines"]]
        return order


def phone_normalise(text: str) -> str:
    """+62… when the number is a real Indonesian one; marketplaces mask most, then blank."""
    if not text or "*" in text:
        return ""
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def marketplace_read(content: bytes, filename: str, channel: str) -> Table:
    layout = LAYOUTS[channel]
    return table_read(content, filename, columns=layout.columns, required=layout.required)


def marketplace_orders(table: Table, channel: str) -> list[MarketplaceOrder]:
    """Group rows into orders and check each row; a row's error marks its whole order bad."""
    layout = LAYOUTS[channel]
    orders: dict[str, MarketplaceOrder] = {}
    for row in table.rows:
        if layout.skip_row is not None and layout.skip_row(row):
            continue
        external_id = row.text("order")
        if not external_id:
            # Without a number the row belongs to no order; report it on its own.
            orphan = orders.setdefault(f"?row{row.number}", MarketplaceOrder(external_id=""))
            orphan.rows.append(row.number)
            orphan.errors.append({"row": row.number, "message": _("The order number is empty.")})
            continue
        order = orders.get(external_id)
        if order is None:
            order = orders[external_id] = MarketplaceOrder(external_id=external_id)
            _order_fields(order, row, layout)
        order.rows.append(row.number)
        line = _line(order, row, layout)
        if line is not None:
            order.lines.append(line)
    return list(orders.values())


def _error(order: MarketplaceOrder, row: Row, message: str) -> None:
    order.errors.append({"row": row.number, "message": message})


def _order_fields(order: MarketplaceOrder, row: Row, layout: Layout) -> None:
    raw_status = row.text("status")
    order.raw_status = raw_status
    if "status" in layout.columns and raw_status:
        status = layout.statuses.get(header_key(raw_status))
        if status is None:
            _error(
                order,
                row,
                _('Unknown order status "%(status)s".') % {"status": raw_status},
            )
        else:
            order.status = status
    elif not raw_status:
        order.status = PAID  # Tokopedia's sales report lists paid orders only.
    if row.text("placed_at"):
        try:
            order.placed_at = parse_datetime(row.cells["placed_at"])
        except ValueError as error:
            _error(order, row, _("Order time: %(error)s.") % {"error": error})
    order.customer_name = (row.text("name") or row.text("buyer"))[:150]
    order.customer_phone = phone_normalise(row.text("phone"))
    order.address = row.text("address")[:500]
    for name in ("shipping_fee", "total"):
        if row.text(name):
            try:
                setattr(order, name, parse_rupiah(row.cells[name]))
            except ValueError as error:
                _error(order, row, f"{layout.columns[name][0]}: {error}.")


def _line(order: MarketplaceOrder, row: Row, layout: Layout) -> MarketplaceLine | None:
    problems = []
    try:
        quantity = parse_quantity(row.cells.get("quantity"))
    except ValueError as error:
        problems.append(f"{layout.columns['quantity'][0]}: {error}.")
        quantity = 0
    try:
        amount = parse_rupiah(row.cells.get("unit_price"))
    except ValueError as error:
        problems.append(f"{layout.columns['unit_price'][0]}: {error}.")
        amount = 0
    sku = row.text("sku") or row.text("parent_sku")
    product = row.text("product")
    if not sku and not product:
        problems.append(_("The row has neither a SKU nor a product name."))
    for problem in problems:
        _error(order, row, problem)
    if problems:
        return None
    unit_price = amount
    if layout.price_is_line_total:
        unit_price = amount // quantity
        if unit_price * quantity != amount:
            # Keep the paid total exact: the remainder goes to the order's discount later.
            unit_price = round(amount / quantity)
    return MarketplaceLine(
        row=row.number,
        sku=sku[:200],
        product_name=product[:200],
        variant_name=row.text("variant")[:100],
        quantity=quantity,
        unit_price=unit_price,
    )


def mapping_key(line: MarketplaceLine) -> str:
    """What the owner maps to a variant: the marketplace SKU, else the product/variation name."""
    if line.sku:
        return line.sku
    return f"{line.product_name} / {line.variant_name}".strip(" /")
