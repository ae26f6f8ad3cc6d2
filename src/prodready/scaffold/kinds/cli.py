"""A command-line tool: typer commands with pydantic settings and rich output."""

from prodready.scaffold.kinds import DEV, PYDANTIC_TYPING, KindSpec, register

register(
    KindSpec(
        "cli",
        "a command-line tool",
        ["pydantic>=2.6", "rich>=13.7", "typer>=0.12"],
        {},
        DEV,
        PYDANTIC_TYPING,
        scripts=True,
    )
)
