"""Communications data applications: draft, single point of contact, authorisation, re-runs."""
