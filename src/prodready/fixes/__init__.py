"""Repairs for the findings that can be repaired: one module per rule family, registered by code.

A fixer edits files through a `Workspace`, which keeps every byte it was not asked to change,
checks that each edited file still parses, and writes atomically, refusing a file that changed
on disk since it was read.
"""
