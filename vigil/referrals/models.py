"""Referrals to safeguarding partners and notifications to other bodies, each owned and chased."""
