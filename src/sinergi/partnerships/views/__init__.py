"""Pages of the partnership hub: partners' offerings, shops' help, programmes and matching."""
