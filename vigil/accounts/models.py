"""API tokens, single sign-on and the sign-in protections."""
