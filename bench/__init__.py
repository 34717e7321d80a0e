"""Benchmarks: `uv run python -m bench.<name>`; results in bench/results/ (gitignored)."""
