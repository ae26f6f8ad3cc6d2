"""Fixes for the hygiene rules."""
