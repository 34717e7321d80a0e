"""Forms of the partnership pages, one module per audience."""
