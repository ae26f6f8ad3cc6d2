"""Fixes for the code rules."""
