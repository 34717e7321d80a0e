"""The insights app's tenant-data routes, for the other-tenant harness.

No insights URL takes an object id: every page and export reads the signed-in member's own
shop (the export names its table in the query string). The other-tenant guarantee is tested
in tests/insights/test_views.py (another shop's orders never show)."""
