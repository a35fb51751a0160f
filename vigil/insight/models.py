"""Aggregates for the Vulnerability Performance Group, with small counts suppressed."""
