"""Fixes for the precommit rules."""
