"""`prodready score`: the seeds' metrics, measured by running the real tools in the project's own
environment, held against targets."""
