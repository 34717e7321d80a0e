"""Forms of the shop's commerce pages and of the public storefront, one module per noun."""
