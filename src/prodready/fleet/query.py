"""`prodready fleet query`: DuckDB over the results' Parquet files, as the views `findings`,
`units`, `repositories`, `scans` and `optouts` (every scan; filter on `scan_id`, or join `scans`
for the latest) and `changes` (every `fleet fix` and `fleet update` run)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from prodready.errors import UsageError
from prodready.fleet.results import DEFAULTS, TABLES, files, schema

if TYPE_CHECKING:
    import duckdb


class Answer(NamedTuple):
    """A query's column names and rows."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


def connect(results: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per table over the Parquet files under `results`. Each
    view has its table's columns in the schema's order, whatever the files hold: a column an
    older file lacks reads as its default (`DEFAULTS`), and a table no scan wrote is empty."""
    import duckdb

    connection = duckdb.connect(":memory:")
    for table in TABLES:
        empty = schema(table).empty_table()
        connection.register(f"_{table}_empty", empty)
        source = f"_{table}_empty"
        paths = [str(p) for p in files(results, table)]
        if paths:
            listing = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
            source = (
                f"(SELECT * FROM read_parquet([{listing}], hive_partitioning = false, "  # noqa: S608
                f"union_by_name = true) UNION ALL BY NAME SELECT * FROM _{table}_empty)"
            )
        defaults = DEFAULTS.get(table, {})
        columns = ", ".join(
            f'coalesce("{name}", {_literal(defaults[name])}) AS "{name}"'
            if name in defaults
            else f'"{name}"'
            for name in empty.column_names
        )
        # the table and column names are ours and the paths quoted: nothing comes from a user
        connection.execute(f"CREATE VIEW {table} AS SELECT {columns} FROM {source}")  # noqa: S608
    return connection


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


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
