"""A library: no dependencies of its own, published to the package index."""

from prodready.scaffold.kinds import DEV, KindSpec, register

register(KindSpec("lib", "a library", [], {}, DEV, {}))
