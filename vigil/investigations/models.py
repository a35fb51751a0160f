"""The investigation case type: referrals received, enforcement deadlines."""
