"""The figures a run's history follows, with their labels: one list for `history` and the report."""

TRACKED: tuple[tuple[str, str], ...] = (
    ("findings.total", "Findings (check)"),
    ("tests.pass_rate", "Tests passing (%)"),
    ("coverage.total", "Coverage (%)"),
    ("lint.findings", "Lint findings"),
    ("types.errors", "Type errors"),
    ("vulnerabilities", "Known vulnerabilities"),
    ("install.seconds", "Clean install (s)"),
    ("import.ms", "Import time (ms)"),
)
