"""The fleet: its results read back, its dashboard."""
