"""The printable case summary (print view and PDF)."""
