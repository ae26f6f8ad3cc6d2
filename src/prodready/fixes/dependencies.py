"""Fixes for the dependencies rules."""
