"""Fixes for the packaging rules."""
