"""What a lock file records of the releases it pins (`project/locks.py`): each distribution's
versions and what every install of them requires, from uv.lock, poetry.lock and pdm.lock."""

from __future__ import annotations

from prodready.project.locks import read_lock

UV = """version = 1
requires-python = ">=3.9"

[[package]]
name = "flask-marshmallow"
version = "0.10.1"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "flask" },
    { name = "Marshmallow" },
    { name = "six" },
    { name = "colorama", marker = "sys_platform == 'win32'" },
]

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["python_full_version < '3.10'"]

[[package]]
name = "numpy"
version = "2.2.0"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["python_full_version >= '3.10'"]
"""


def test_uv_lock_versions_and_unconditional_requirements() -> None:
    locked = read_lock(UV)
    assert locked["flask-marshmallow"].versions == {"0.10.1"}
    # a requirement under a marker is not installed everywhere
    assert locked["flask-marshmallow"].requires == {"flask", "marshmallow", "six"}
    # a fork by environment: both releases
    assert locked["numpy"].versions == {"1.26.4", "2.2.0"}


def test_poetry_lock_dependencies_table() -> None:
    text = (
        '[[package]]\nname = "aiohttp"\nversion = "3.10.11"\noptional = false\n\n'
        '[package.dependencies]\naiosignal = ">=1.1.2"\n'
        'async-timeout = {version = ">=4.0,<6.0", markers = "python_version < \\"3.11\\""}\n'
        'brotli = {version = "*", optional = true}\nyarl = {version = ">=1.12.0,<2.0"}\n\n'
        '[package.extras]\nspeedups = ["brotli"]\n\n'
        '[[package]]\nname = "pypika-tortoise"\nversion = "0.3.2"\n'
    )
    locked = read_lock(text)
    assert locked["aiohttp"].requires == {"aiosignal", "yarl"}
    assert locked["pypika-tortoise"].versions == {"0.3.2"}


def test_pdm_lock_requirement_strings() -> None:
    text = (
        '[metadata]\ngroups = ["default"]\n\n[[package]]\nname = "anyio"\nversion = "4.4.0"\n'
        'dependencies = [\n    "idna>=2.8",\n    "exceptiongroup>=1.0.2; python_version < \\"3.11\\"",\n'
        '    "sniffio[extra]>=1.1",\n]\n'
    )
    assert read_lock(text)["anyio"].requires == {"idna", "sniffio"}


def test_a_block_that_does_not_parse_is_skipped() -> None:
    text = '[[package]]\nname = "ok"\nversion = "1"\n\n[[package]]\nname = "broken\n'
    assert set(read_lock(text)) == {"ok"}


def test_file_lists_are_skipped_and_what_follows_them_is_read() -> None:
    # uv writes `sdist` and `wheels` before the metadata tables; poetry writes `files` before
    # `[package.dependencies]`: skipping them must not lose what comes after
    uv = (
        '[[package]]\nname = "a"\nversion = "1"\ndependencies = [\n    { name = "b" },\n]\n'
        'sdist = { url = "https://x/a-1.tar.gz", hash = "sha256:00", size = 1 }\n'
        "wheels = [\n"
        '    { url = "https://x/a-1-py3-none-any.whl", hash = "sha256:01", size = 2 },\n'
        ']\n\n[package.optional-dependencies]\nfast = [\n    { name = "c" },\n]\n'
    )
    poetry = (
        '[[package]]\nname = "d"\nversion = "2"\noptional = false\nfiles = [\n'
        '    {file = "d-2.tar.gz", hash = "sha256:02"},\n]\n\n'
        '[package.dependencies]\ne = ">=1"\nf = {version = "*", markers = "os_name == \'nt\'"}\n'
    )
    assert read_lock(uv)["a"].requires == {"b"}
    assert read_lock(poetry)["d"].requires == {"e"}
