"""Request and response schemas of the shop's HTTP API (see :mod:`sinergi.commerce.http`).

Bodies are strict (0 is not false, "5" is not 5, a list is not an object); text refuses
control characters (PostgreSQL refuses NUL); numbers are bounded so that no id or amount can
overflow a database column.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints, model_validator

from sinergi.commerce.models import (
    Channel,
    Order,
    OrderStatus,
    PaymentMethod,
    Product,
    StockBalance,
    Variant,
)

MAX_ID = 2**63 - 1
MAX_AMOUNT = 10**12  # a trillion rupiah: far above any shop's order, far below BigInteger


# Text without NUL or other control characters (PostgreSQL refuses NUL in text).
_CLEAN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def _text(max_length: int, *, min_length: int = 0) -> Any:
    return Annotated[
        str, StringConstraints(max_length=max_length, min_length=min_length, pattern=_CLEAN)
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Amount = Annotated[int, Field(ge=0, le=MAX_AMOUNT)]
Name = _text(150, min_length=1)
Sku = _text(64, min_length=1)
ShortText = _text(100)
LongText = _text(5000)


class Body(Schema):
    """A request body: types are exact (0 is not false, "5" is not 5)."""

    model_config = ConfigDict(strict=True)

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        # Schemas read attributes too (from_attributes), so a list would pass as "no fields".
        if not isinstance(getattr(data, "_obj", data), dict):
            raise ValueError("the body must be a JSON object")  # noqa: TRY004  (pydantic wants ValueError)
        return data


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, Any]] | None = None


class Page(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class VariantOut(Schema):
    id: int
    sku: str
    name: str
    price: int
    cost_price: int | None
    is_active: bool
    low_stock_threshold: int


class ProductOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    category: str | None
    is_active: bool
    variants: list[VariantOut]

    @staticmethod
    def resolve_category(obj: Product) -> str | None:
        return obj.category.name if obj.category else None

    @staticmethod
    def resolve_variants(obj: Product) -> list[Variant]:
        return list(obj.variants.all())


class ProductPageOut(Schema):
    count: int
    items: list[ProductOut]


class VariantIn(Body):
    sku: Sku  # type: ignore[valid-type]
    price: Amount
    name: ShortText = ""  # type: ignore[valid-type]
    cost_price: Amount | None = None
    low_stock_threshold: int = Field(3, ge=0, le=1_000_000)
    is_active: bool = True


class ProductIn(Body):
    name: Name  # type: ignore[valid-type]
    description: LongText = ""  # type: ignore[valid-type]
    category: ShortText | None = None  # type: ignore[valid-type]
    is_active: bool = True
    variants: list[VariantIn] = Field(..., min_length=1, max_length=100)


class ProductPatch(Body):
    name: Name | None = None  # type: ignore[valid-type]
    description: LongText | None = None  # type: ignore[valid-type]
    category: ShortText | None = None  # type: ignore[valid-type]
    is_active: bool | None = None


class VariantPatch(Body):
    sku: Sku | None = None  # type: ignore[valid-type]
    price: Amount | None = None
    name: ShortText | None = None  # type: ignore[valid-type]
    cost_price: Amount | None = None
    low_stock_threshold: int | None = Field(None, ge=0, le=1_000_000)
    is_active: bool | None = None


class BalanceOut(Schema):
    variant_id: int
    sku: str
    location_id: int
    location: str
    on_hand: int
    reserved: int
    available: int

    @staticmethod
    def resolve_sku(obj: StockBalance) -> str:
        return obj.variant.sku

    @staticmethod
    def resolve_location(obj: StockBalance) -> str:
        return obj.location.name


class BalancePageOut(Schema):
    count: int
    items: list[BalanceOut]


class MovementOut(Schema):
    id: int
    variant_id: int
    location_id: int
    kind: str
    on_hand_delta: int
    reserved_delta: int
    order_id: int | None
    note: str
    created_at: datetime


class MovementPageOut(Schema):
    count: int
    items: list[MovementOut]


class StockFilter(Page):
    variant_id: Id | None = None


class ReceiveIn(Body):
    variant_id: Id
    quantity: int = Field(..., ge=1, le=1_000_000)
    location_id: Id | None = None
    note: _text(255) = ""  # type: ignore[valid-type]


class AdjustIn(Body):
    variant_id: Id
    delta: int = Field(..., ge=-1_000_000, le=1_000_000)
    location_id: Id | None = None
    note: _text(255) = ""  # type: ignore[valid-type]


class OrderLineOut(Schema):
    variant_id: int | None
    product_name: str
    variant_name: str
    sku: str
    quantity: int
    unit_price: int
    line_total: int


class OrderOut(Schema):
    id: int
    number: str
    channel: str
    external_id: str | None
    status: str
    customer_name: str
    customer_phone: str
    address: str
    delivery_note: str
    payment_method: str
    is_credit: bool
    subtotal: int
    shipping_fee: int
    discount: int
    total: int
    amount_paid: int
    placed_at: datetime
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_lines(obj: Order) -> list[Any]:
        return list(obj.lines.all())


class OrderPageOut(Schema):
    count: int
    items: list[OrderOut]


class OrderFilter(Page):
    status: Literal[tuple(OrderStatus.values)] | None = None  # type: ignore[valid-type]
    channel: Literal[tuple(Channel.values)] | None = None  # type: ignore[valid-type]


class OrderLineIn(Body):
    variant_id: Id
    quantity: int = Field(..., ge=1, le=100_000)


class OrderIn(Body):
    channel: Literal[tuple(Channel.values)]  # type: ignore[valid-type]
    lines: list[OrderLineIn] = Field(..., min_length=1, max_length=200)
    customer_name: _text(120) = ""  # type: ignore[valid-type]
    customer_phone: _text(30) = ""  # type: ignore[valid-type]
    address: _text(1000) = ""  # type: ignore[valid-type]
    delivery_note: _text(255) = ""  # type: ignore[valid-type]
    shipping_fee: Amount = 0
    discount: Amount = 0
    payment_method: Literal[("", *PaymentMethod.values)] = ""  # type: ignore[valid-type]
    is_credit: bool = False
    external_id: _text(100) | None = None  # type: ignore[valid-type]


class PaymentIn(Body):
    method: Literal[tuple(PaymentMethod.values)]  # type: ignore[valid-type]
    amount: Amount | None = Field(None, description="Defaults to the balance due.")
    reference: _text(100) = ""  # type: ignore[valid-type]
