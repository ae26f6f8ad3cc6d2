"""The pydantic model of `[tool.prodready]`, kept apart so it is imported only when needed."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from prodready.errors import ConfigError


class ProdreadyTable(BaseModel):
    """`[tool.prodready]` as written in pyproject.toml."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    kind: Literal["library", "application", "service"] | None = Field(
        None, description="The project's kind, instead of detecting it."
    )
    select: list[str] | None = Field(
        None,
        description="Rules, prefixes or families to run (`ALL`, `SEC`, `PKG008`); "
        "all when not given.",
    )
    ignore: dict[str, str] | list[str] = Field(
        default_factory=dict,
        description="Rules, prefixes or families to skip: a table of code = reason "
        "(the reason shows in reports), or a list of codes.",
    )
    fail_on: Literal["error", "warning", "info"] = Field(
        "warning", alias="fail-on", description="The lowest severity that fails `check`."
    )
    per_path_ignores: dict[str, dict[str, str] | list[str]] = Field(
        default_factory=dict,
        alias="per-path-ignores",
        description="Rules to skip in files matching a glob: glob = {code = reason} "
        "or glob = [codes].",
    )


def validate(
    table: dict[str, Any], where: str = "pyproject.toml [tool.prodready]"
) -> ProdreadyTable:
    """Validate the table; a problem becomes one `ConfigError` line per wrong key."""
    try:
        return ProdreadyTable.model_validate(table)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            key = ".".join(
                str(part)
                for part in error["loc"]
                if not str(part).startswith(("dict[", "list[", "literal["))
            )
            key = key.replace("_", "-")
            lines.append(f"{where} {key}: {error['msg']}")
        raise ConfigError("\n".join(dict.fromkeys(lines))) from None
