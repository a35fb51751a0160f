"""Dip sampling and audits against versioned templates."""
