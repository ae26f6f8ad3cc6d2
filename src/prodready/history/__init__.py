"""Every `check` and `score` run, kept per user in SQLite, keyed by repository and commit."""
