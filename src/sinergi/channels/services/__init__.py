"""The channels app's writes: accounts, posts, publishing, metrics and the inbox."""
