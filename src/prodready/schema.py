"""The JSON schema of `[tool.prodready]`, for editors and validate-pyproject.

The schema is generated from the configuration model (`config_model.py`) by
`python -m prodready.schema`, which writes `data/tool-prodready.schema.json`; a test fails when
the file is not what the model gives. `tool_schema` is the validate-pyproject plug-in (the
`validate_pyproject.tool_schema` entry point): it reads the file, so validating a pyproject does
not import pydantic.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

SCHEMA_ID = (
    "https://github.com/prodready/prodready/blob/main/src/prodready/data/tool-prodready.schema.json"
)
FILE = "tool-prodready.schema.json"


# What `select` and `ignore` accept: ALL, a family (`SEC`), a prefix (`SEC0`) or a code
# (`SEC003`); letters then at most three digits, as rule codes are written.
SELECTOR = {"type": "string", "pattern": "^(ALL|[A-Z]+[0-9]{0,3})$"}


def generate() -> dict[str, Any]:
    """The schema as the model defines it, in draft 7 (what validate-pyproject reads), made as
    strict as prodready is: TOML has no null, so the model's "or None" is left out (an error
    then names the allowed values), and rule selectors must look like codes."""
    from prodready.config_model import ProdreadyTable

    schema = ProdreadyTable.model_json_schema(by_alias=True)
    properties = schema["properties"]
    for spec in properties.values():
        choices = [c for c in spec.pop("anyOf", []) if c != {"type": "null"}]
        if len(choices) == 1:
            spec.update(choices[0])
        elif choices:
            spec["anyOf"] = choices
        if spec.get("default", 0) is None:
            del spec["default"]
    properties["select"]["items"] = SELECTOR
    properties["ignore"]["anyOf"] = [
        {"type": "object", "propertyNames": SELECTOR, "additionalProperties": {"type": "string"}},
        {"type": "array", "items": SELECTOR},
    ]
    per_path = properties["per-path-ignores"]
    per_path["additionalProperties"] = {"anyOf": properties["ignore"]["anyOf"]}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "[tool.prodready]",
        "description": "prodready's settings in pyproject.toml.",
        **{key: value for key, value in schema.items() if key not in ("title", "description")},
    }


def text() -> str:
    """The schema file's text."""
    return json.dumps(generate(), indent=2, sort_keys=True) + "\n"


def tool_schema(tool_name: str) -> dict[str, Any]:
    """The schema of `[tool.$tool]`: prodready's settings (validate-pyproject plug-in)."""
    del tool_name
    data: dict[str, Any] = json.loads(resources.files("prodready.data").joinpath(FILE).read_text())
    return data


def main(argv: list[str]) -> int:
    """Write the schema file (into the package's data folder, or to the path given)."""
    default = Path(__file__).parent / "data" / FILE
    Path(argv[0] if argv else default).write_text(text(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
