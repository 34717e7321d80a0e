"""The channels app's pages: inbox, content calendar and posts, connected accounts."""
