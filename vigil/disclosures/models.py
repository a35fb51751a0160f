"""Abuse and crime disclosed during an episode: crime and intelligence decisions, repeats linked."""
