"""`prodready fleet`: audit many repositories, keep the results as Parquet, report on and fix
them (see `commands/fleet.py`).

The fleet modules import the optional `fleet` extra (pyarrow, duckdb, dask) only inside the
functions that need it: core prodready never imports them."""
