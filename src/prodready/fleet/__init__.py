"""`prodready fleet`: audit many repositories, keep the results as Parquet, report and fix.

The optional `fleet` extra (pyarrow, duckdb, dask) is imported inside the functions that need it,
so core prodready never imports it."""
