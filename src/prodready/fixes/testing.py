"""Fixes for the testing rules."""
