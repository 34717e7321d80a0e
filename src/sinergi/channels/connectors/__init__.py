"""Clients for the platforms' official APIs, one module per platform.

Every client sends its requests through a transport: :class:`~.base.HttpTransport` talks to
the platform (or, in tests, to a local fake server that follows the official shapes), and
:class:`~.preview.PreviewTransport` records exactly what would have been sent and answers as
the platform would, for the demo's built-in preview connection.
"""
