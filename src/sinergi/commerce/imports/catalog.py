"""The catalog as a spreadsheet: export every product and variant, and import the same layout.

One row per variant. A row whose SKU exists updates that variant (and its product); a new SKU
creates a variant, under the product of the same name (created if there is none). Product
fields (category, description, on sale) are taken from the first row of each product.
Stock is not part of the file: it moves only through the stock ledger.

An import is all or nothing: the preview lists every row's error by row number, and a file
with any error cannot be applied; a clean file is applied in one transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sinergi.commerce.imports.tables import (
    Table,
    parse_bool,
    parse_rupiah,
    table_read,
)
from sinergi.commerce.models import Category, Product, Variant
from sinergi.commerce.storefront_cache import storefront_version_bump

# field: (English header, Indonesian header, other spellings...). The export writes the first.
COLUMNS: dict[str, tuple[str, ...]] = {
    "product": ("Product", "Produk", "Nama Produk", "Product name"),
    "sku": ("SKU", "Kode SKU"),
    "variant": ("Variant", "Varian", "Variasi"),
    "price": ("Price", "Harga", "Harga (Rp)"),
    "cost_price": ("Cost price", "Harga Modal", "HPP"),
    "category": ("Category", "Kategori"),
    "description": ("Description", "Deskripsi"),
    "product_active": ("Product on sale", "Produk Aktif"),
    "variant_active": ("Variant on sale", "Varian Aktif"),
    "low_stock_threshold": ("Low-stock alert at", "Batas Stok Menipis"),
}
REQUIRED = ("product", "sku", "price")
MAX_TEXT = {"product": 150, "sku": 64, "variant": 100, "category": 80, "description": 5000}


@dataclass
class CatalogRow:
    """A checked row: what it would do (create, update, unchanged) and the values."""

    row: int
    action: str
    sku: str
    product: str
    variant: str
    price: int
    cost_price: int | None
    category: str
    description: str
    product_active: bool
    variant_active: bool
    low_stock_threshold: int
    changes: list[str] = field(default_factory=list)


@dataclass
class CatalogPlan:
    rows: list[CatalogRow]
    errors: list[dict[str, Any]]

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts


def catalog_read(content: bytes, filename: str) -> Table:
    return table_read(content, filename, columns=COLUMNS, required=REQUIRED)


def _int(value: object, *, default: int) -> int:
    text = str(value if value is not None else "").strip()
    if text == "":
        return default
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not text.isdigit():
        raise ValueError(_('"%(value)s" is not a whole number') % {"value": value})
    return int(text)


def catalog_plan(table: Table) -> CatalogPlan:
    """Check every row against the current catalog (inside the shop's tenant context)."""
    existing = {
        v.sku: v
        for v in Variant.objects.select_related("product", "product__category").filter(
            sku__in=[row.text("sku") for row in table.rows if row.text("sku")]
        )
    }
    rows: list[CatalogRow] = []
    errors: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        problems: list[str] = []
        values: dict[str, Any] = {}
        for name in ("product", "sku", "variant", "category", "description"):
            text = row.text(name)
            if len(text) > MAX_TEXT[name]:
                problems.append(
                    _("%(column)s is longer than %(n)d characters.")
                    % {"column": COLUMNS[name][0], "n": MAX_TEXT[name]}
                )
            values[name] = text
        problems.extend(
            _("%(column)s is empty.") % {"column": COLUMNS[name][0]}
            for name in REQUIRED
            if not row.text(name)
        )
        parsers: list[tuple[str, Any]] = [
            ("price", parse_rupiah),
            ("cost_price", lambda v: parse_rupiah(v) if str(v or "").strip() else None),
            ("product_active", lambda v: parse_bool(v, default=True)),
            ("variant_active", lambda v: parse_bool(v, default=True)),
            ("low_stock_threshold", lambda v: _int(v, default=3)),
        ]
        for name, parse in parsers:
            if name == "price" and not row.text(name):
                continue
            try:
                values[name] = parse(row.cells.get(name))
            except ValueError as error:
                problems.append(f"{COLUMNS[name][0]}: {error}.")
        sku = values["sku"]
        if sku and sku in seen:
            problems.append(
                _("SKU %(sku)s is already on row %(row)d.") % {"sku": sku, "row": seen[sku]}
            )
        if problems:
            errors.extend({"row": row.number, "message": p} for p in problems)
            continue
        seen[sku] = row.number
        planned = CatalogRow(row=row.number, action="create", **values)
        variant = existing.get(sku)
        if variant is not None:
            planned.changes = _changes(variant, planned)
            planned.action = "update" if planned.changes else "unchanged"
        rows.append(planned)
    return CatalogPlan(rows=rows, errors=errors)


def _changes(variant: Variant, row: CatalogRow) -> list[str]:
    product = variant.product
    pairs = [
        ("product", product.name, row.product),
        ("variant", variant.name, row.variant),
        ("price", variant.price, row.price),
        ("cost_price", variant.cost_price, row.cost_price),
        ("category", product.category.name if product.category else "", row.category),
        ("description", product.description, row.description),
        ("product_active", product.is_active, row.product_active),
        ("variant_active", variant.is_active, row.variant_active),
        ("low_stock_threshold", variant.low_stock_threshold, row.low_stock_threshold),
    ]
    return [str(COLUMNS[name][0]) for name, old, new in pairs if old != new]


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:60] or "produk"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def catalog_apply(
    *, organisation_id: int, plan: CatalogPlan, progress: Any = None
) -> dict[str, int]:
    """Create and update the planned rows in one transaction; all rows or none.

    Called inside the shop's tenant context with a plan that has no errors.
    """
    if plan.errors:
        raise ValueError("a plan with errors cannot be applied")
    with transaction.atomic():
        categories = {c.name.casefold(): c for c in Category.objects.all()}
        category_slugs = {c.slug for c in categories.values()}
        products = {p.name.casefold(): p for p in Product.objects.order_by("pk")}
        product_slugs = set(Product.objects.values_list("slug", flat=True))
        variants = {
            v.sku: v
            for v in Variant.objects.select_for_update()
            .select_related("product")
            .filter(sku__in=[r.sku for r in plan.rows])
        }
        touched_products: set[int] = set()
        for done, row in enumerate(plan.rows, start=1):
            category = None
            if row.category:
                category = categories.get(row.category.casefold())
                if category is None:
                    category = Category.objects.create(
                        organisation_id=organisation_id,
                        name=row.category,
                        slug=_unique_slug(row.category, category_slugs),
                    )
                    categories[row.category.casefold()] = category
            variant = variants.get(row.sku)
            product = variant.product if variant else products.get(row.product.casefold())
            if product is None:
                product = Product.objects.create(
                    organisation_id=organisation_id,
                    name=row.product,
                    slug=_unique_slug(row.product, product_slugs),
                    description=row.description,
                    category=category,
                    is_active=row.product_active,
                )
                products[row.product.casefold()] = product
                touched_products.add(product.pk)
            elif product.pk not in touched_products:
                touched_products.add(product.pk)
                product.name = row.product
                product.description = row.description
                product.category = category
                product.is_active = row.product_active
                product.save(update_fields=["name", "description", "category", "is_active"])
                products[row.product.casefold()] = product
            fields = {
                "name": row.variant,
                "price": row.price,
                "cost_price": row.cost_price,
                "is_active": row.variant_active,
                "low_stock_threshold": row.low_stock_threshold,
            }
            if variant is None:
                position = Variant.objects.filter(product=product).count()
                Variant.objects.create(
                    organisation_id=organisation_id,
                    product=product,
                    sku=row.sku,
                    position=position,
                    **fields,
                )
            elif row.action == "update":
                for name, value in fields.items():
                    setattr(variant, name, value)
                variant.save(update_fields=list(fields))
            if progress is not None:
                progress(done)
        storefront_version_bump(organisation_id)
    return plan.counts()


# --- Export ----------------------------------------------------------------------------------


def catalog_rows() -> list[list[Any]]:
    """Every variant of the shop, in the import layout, header first."""
    # The header in the page's language: both spellings import again.
    indonesian = (get_language() or "").startswith("id")
    rows: list[list[Any]] = [[names[1 if indonesian else 0] for names in COLUMNS.values()]]
    yes, no = ("ya", "tidak") if indonesian else ("yes", "no")
    variants = Variant.objects.select_related("product", "product__category").order_by(
        "product__name", "product_id", "position", "pk"
    )
    for v in variants:
        product = v.product
        rows.append(
            [
                product.name,
                v.sku,
                v.name,
                v.price,
                v.cost_price if v.cost_price is not None else "",
                product.category.name if product.category else "",
                product.description,
                yes if product.is_active else no,
                yes if v.is_active else no,
                v.low_stock_threshold,
            ]
        )
    return rows


def catalog_csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    # A BOM so that Excel opens the UTF-8 file with the right characters.
    return buffer.getvalue().encode("utf-8-sig")


def catalog_xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Catalog"))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
