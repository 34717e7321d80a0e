"""Commerce models, one module per domain noun; imported here so Django finds them."""

from sinergi.commerce.models.catalog import Category, Product, ProductPhoto, Variant
from sinergi.commerce.models.integration import ApiToken, ImportJob, MarketplaceSku  # noqa: F401
from sinergi.commerce.models.orders import (
    CLOSED_STATUSES,
    MARKETPLACE_CHANNELS,
    RESERVING_STATUSES,
    Channel,
    Customer,
    Order,
    OrderCounter,
    OrderLine,
    OrderRevision,
    OrderStatus,
    Payment,
    PaymentMethod,
)
from sinergi.commerce.models.stock import Location, MovementKind, StockBalance, StockMovement

__all__ = [
    "CLOSED_STATUSES",
    "MARKETPLACE_CHANNELS",
    "RESERVING_STATUSES",
    "Category",
    "Channel",
    "Customer",
    "Location",
    "MovementKind",
    "Order",
    "OrderCounter",
    "OrderLine",
    "OrderRevision",
    "OrderStatus",
    "Payment",
    "PaymentMethod",
    "Product",
    "ProductPhoto",
    "StockBalance",
    "StockMovement",
    "Variant",
]
