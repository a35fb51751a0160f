"""How an episode ended, who approved closing it, and reopening."""
