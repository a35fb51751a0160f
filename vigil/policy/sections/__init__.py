"""Policy defaults by topic, each owned by the app that reads it (merged in defaults.py)."""
