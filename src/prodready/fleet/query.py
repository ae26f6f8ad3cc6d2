"""`prodready fleet query`: DuckDB over the results' Parquet files, as the views `findings`,
`repositories`, `scans` and `optouts` (every scan; filter on `scan_id`, or join `scans` for the
latest)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from prodready.errors import UsageError
from prodready.fleet.results import TABLES, files, schema

if TYPE_CHECKING:
    import duckdb


class Answer(NamedTuple):
    """A query's column names and rows."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


def connect(results: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per table over the Parquet files under `results`."""
    import duckdb

    connection = duckdb.connect(":memory:")
    for table in TABLES:
        paths = [str(p) for p in files(results, table)]
        if paths:
            listing = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
            # the table names are ours and the paths quoted: nothing here comes from a user
            view = f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{listing}], "  # noqa: S608
            connection.execute(view + "hive_partitioning = false, union_by_name = true)")
        else:
            empty = schema(table).empty_table()
            connection.register(f"_{table}_empty", empty)
            connection.execute(f"CREATE VIEW {table} AS SELECT * FROM _{table}_empty")  # noqa: S608
    return connection


def query(results: Path, sql: str) -> Answer:
    """Run one SQL statement; a DuckDB error is a usage error with DuckDB's words."""
    import duckdb

    connection = connect(results)
    try:
        relation = connection.sql(sql)
        if relation is None:
            return Answer([], [])
        return Answer(list(relation.columns), relation.fetchall())
    except duckdb.Error as exc:
        raise UsageError(f"query: {str(exc).splitlines()[0]}") from None
    finally:
        connection.close()


def render(answer: Answer, style: str) -> str:
    """The answer as an aligned table, JSON (a list of objects) or CSV."""
    if style == "json":
        records = [dict(zip(answer.columns, row, strict=True)) for row in answer.rows]
        return json.dumps(records, indent=2, default=_plain, ensure_ascii=False) + "\n"
    if style == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(answer.columns)
        writer.writerows([[_cell(v) for v in row] for row in answer.rows])
        return out.getvalue()
    cells = [[_cell(v) for v in row] for row in answer.rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(answer.columns)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(answer.columns, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
        *("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells),
    ]
    count = len(cells)
    return "\n".join(lines) + f"\n({count} {'row' if count == 1 else 'rows'})\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return text.replace("\n", "\\n")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
