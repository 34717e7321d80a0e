"""Files in and out of the shop: catalog CSV/XLSX and marketplace order exports.

``tables`` reads a spreadsheet into numbered rows, ``catalog`` and ``marketplace`` turn rows
into a checked plan (what would be created or updated, and which rows are wrong, by row number),
and ``jobs`` runs a plan as an :class:`~sinergi.commerce.models.integration.ImportJob` with
preview, confirmation and progress.
"""
