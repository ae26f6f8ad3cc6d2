"""The output formats of `check` and `fix`, one module each (see `prodready.report`)."""
