"""A machine-learning package: torch in an extra, imported lazily, GPU tests marked."""

from prodready.scaffold.kinds import DEV, KindSpec, register

register(
    KindSpec(
        "ml", "a machine-learning package", [], {"torch": ["torch>=2.2", "numpy>=1.26"]}, DEV, {}
    )
)
