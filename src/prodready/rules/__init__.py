"""The rule catalogue: one module per family, all registered in `registry`."""
