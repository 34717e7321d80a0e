"""Writes of the commerce domain, one module per noun: catalog, stock, orders, customers.

Every service takes the organisation explicitly, runs in one transaction and raises a
:class:`~sinergi.commerce.services.errors.CommerceError` whose message is meant for a person.
"""
