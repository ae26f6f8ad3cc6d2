"""`prodready fleet`: audit many repositories from a local mirror, on one machine or a Dask
cluster, into Parquet tables that DuckDB (or any Parquet reader) queries.

The pieces: `sources` (which repositories), `mirror` (one bare clone each, one commit's tree
exported for an audit), `worker` (the audit of one repository, in a worker process),
`executors` (where the workers run), `results` (the Parquet tables), `query` (DuckDB over them)
and `scan` (the whole run). pyarrow, DuckDB and Dask come with the `fleet` extra and are
imported only inside these modules, never by the rest of prodready.
"""
