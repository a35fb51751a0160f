"""Load per person against their hours, stale work, one-to-ones and action plans."""
