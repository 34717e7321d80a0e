"""The insights pages of a shop and their exports."""
