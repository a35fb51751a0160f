"""Proof of life: kinds of activity and verification levels (vigil.proof_of_life).

Merged into the default policy documents by vigil/policy/defaults.py: lists (such as
"prompts") are added to, dictionaries (such as "thresholds") are updated. Cite each value's
source in a comment (../shared/POLICY-SOURCES.md); "Local" marks a sensible local default.
"""

MISSING_PERSON: dict = {}
INVESTIGATION: dict = {}
