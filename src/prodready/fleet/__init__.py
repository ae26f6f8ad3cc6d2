"""`prodready fleet`: audit and fix many repositories (see `commands/fleet.py`).

The fleet modules may import the optional `fleet` extra (pyarrow, duckdb, dask) only inside the
functions that need it: core prodready never imports them.
"""
