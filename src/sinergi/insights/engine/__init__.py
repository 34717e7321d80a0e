"""The columnar engine: a shop's orders read in bulk as Arrow (ADBC), aggregated in DuckDB."""

from sinergi.insights.engine.duck import Filters, connect
from sinergi.insights.engine.load import ShopData, shop_load, shop_stamp, shop_time_zone

__all__ = ["Filters", "ShopData", "connect", "shop_load", "shop_stamp", "shop_time_zone"]
