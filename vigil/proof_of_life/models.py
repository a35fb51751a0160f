"""Sightings and activity while a person is missing, each with its source and verification."""
