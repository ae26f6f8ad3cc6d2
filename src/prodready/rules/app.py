"""APP: applications and services — one settings object, documented environment, sound images."""

from __future__ import annotations

import re
from collections.abc import Iterator

from prodready.findings import Violation, at_line
from prodready.project import Project
from prodready.rules import rule

# A setting read from the environment: `os.getenv("X")`, `os.environ["X"]`, `.get("X")`,
# `"X" in os.environ` (the whole mapping handed to a child process, `env=os.environ`, is none)
# `os.environ` or an imported `environ`, not another object's (`request.environ`: WSGI's); the
# variable that names the settings module (`DJANGO_SETTINGS_MODULE`) is read to find them
ENV_READ = re.compile(
    r"\bgetenv\((?![ \t]*[\"']DJANGO_SETTINGS_MODULE)"
    r"|(?:(?<![\w.])|(?<=\bos\.))environ(?:\.get\(|\[)(?![ \t]*[\"']DJANGO_SETTINGS_MODULE)"
    r"|\bin[ \t]+(?:os\.)?environ\b"
)
# Setting a variable for a library or a child process to read (`os.environ["NLS_LANG"] = …`)
ENV_WRITE = re.compile(
    r"^\s*(?:os\.)?environ\[[^\]]*\]\s*=[^=]|^\s*(?:os\.)?environ\.(?:update|pop|clear)\(|^\s*del\s+(?:os\.)?environ\b"
)
SETTINGS_MODULE = re.compile(r"(^|/)(settings|config|conf|configuration|env)(\.py|/)")
ENV_EXAMPLES = (
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    "example.env",
    ".env.defaults",
    "env.example",
)
# build tools removed again in the layer that installed them
REMOVED = re.compile(r"apt-get[ \t]+(?:-\w+[ \t]+)*(?:purge|remove|autoremove)|apk[ \t]+del\b")
# an entrypoint that drops to another user (gosu, su-exec, setpriv), as the official images do
DROPS_PRIVILEGES = re.compile(r"\b(?:gosu|su-exec|setpriv)\b")
# compilers and headers (not `make`, which images keep to run their Makefile targets)
BUILD_TOOLS = re.compile(r"\b(build-essential|gcc|g\+\+|clang|cmake|python3?-dev|libpq-dev)\b")


@rule(
    "APP001",
    "scattered-environment-reads",
    kinds="S",
    source="The Twelve-Factor App, III. Config: https://12factor.net/config; pydantic-settings: https://docs.pydantic.dev/latest/concepts/pydantic_settings/",
)
def scattered_environment_reads(p: Project) -> Iterator[Violation]:
    """A service reads the environment in modules other than its settings module.

    ## What it does
    Reports `os.environ` / `os.getenv` reads in the package's modules, except a settings or
    configuration module and reads of `DJANGO_SETTINGS_MODULE`, which names the settings (a
    request's `request.environ` is WSGI's, not the process's). Lines that set a variable for a library or a child process to read
    (`os.environ["NLS_LANG"] = …`, `os.environ.update(…)`) are no reads.

    ## Why it matters
    Configuration read all over the code is validated nowhere: a missing variable shows up as a
    `KeyError` in the middle of a request, and nobody can list what the service needs.

    ## Example
    ```python
    # app/routes.py
    TIMEOUT = int(os.getenv("TIMEOUT", "5"))
    ```

    ## Use instead
    ```python
    # app/settings.py
    class Settings(BaseSettings):
        timeout: int = 5
    ```

    ## Fix
    Read every variable once, in one validated settings object, and pass it where needed.
    """
    for path in p.packaging.package_files:
        if SETTINGS_MODULE.search(path):
            continue
        for number, line in enumerate((p.repo.read(path) or "").splitlines(), start=1):
            if (
                ENV_READ.search(line)
                and not line.lstrip().startswith("#")
                and not ENV_WRITE.match(line)
            ):
                yield at_line(
                    path,
                    "reads the environment outside the settings module: use one settings object",
                    number,
                )
                break


def _reads_environment(p: Project) -> bool:
    for path in p.packaging.package_files:
        text = p.repo.read(path) or ""
        if ENV_READ.search(text) or "BaseSettings" in text:
            return True
    return False


@rule(
    "APP002",
    "no-env-example",
    kinds="A S",
    severity="I",
    source="The Twelve-Factor App, III. Config: https://12factor.net/config",
)
def no_env_example(p: Project) -> Iterator[Violation]:
    """Settings come from the environment, but no `.env.example` documents them.

    ## What it does
    Reports an application or service that reads environment variables (or defines a
    pydantic-settings `BaseSettings`) without a `.env.example` (or `.sample`, `.template`).

    ## Why it matters
    A new developer or a new deployment has to read the source to learn which variables must be
    set, and finds out about the missing one in production.

    ## Example
    ```text
    (settings.py reads DATABASE_URL; nothing lists it)
    ```

    ## Use instead
    ```text
    # .env.example
    DATABASE_URL=postgresql://user:password@localhost/example
    ```

    ## Fix
    Commit a `.env.example` with every variable and a placeholder value.
    """
    if _reads_environment(p) and not any(p.repo.exists(name) for name in ENV_EXAMPLES):
        yield Violation("settings are read from the environment but no .env.example lists them")


@rule(
    "APP003",
    "dockerfile",
    kinds="A S",
    source="The Twelve-Factor App, V. Build, release, run: https://12factor.net/build-release-run; hadolint DL3006, DL3007, DL3002",
)
def dockerfile(p: Project) -> Iterator[Violation]:
    """A Dockerfile uses an unpinned base image, ships build tools, or runs as root.

    ## What it does
    Reports `FROM` images without a tag or with `latest`, single-stage images that install
    compilers or headers (and do not remove them in the same layer; `make`, kept to run a
    Makefile, is no compiler), and images whose last `USER` is root
    (or that set none) unless the image drops to another user itself (`gosu`, `su-exec`).

    ## Why it matters
    An unpinned base changes under you between two builds of the same commit; compilers in the
    final image are attack surface and size; a root process turns any code execution into root
    on the container.

    ## Example
    ```dockerfile
    FROM python
    RUN apt-get install -y build-essential
    CMD ["uvicorn", "app:app"]
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim AS build
    ...
    FROM python:3.12-slim
    COPY --from=build /venv /venv
    USER app
    CMD ["uvicorn", "app:app"]
    ```

    ## Fix
    Pin the tag (or digest), build in a first stage, and add a non-root `USER`.
    """
    for path in p.automation.dockerfiles:
        yield from _dockerfile(path, p.repo.read(path) or "")


def _instructions(text: str) -> list[tuple[int, str, str]]:
    """(line, INSTRUCTION, arguments) with continuation lines joined; comment and empty lines
    are dropped, inside a continued instruction too, as Docker drops them."""
    found: list[tuple[int, str, str]] = []
    pending = ""
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        start = start if pending else number
        pending += " " + stripped.rstrip("\\")
        if not stripped.endswith("\\"):
            word, _, rest = pending.strip().partition(" ")
            found.append((start, word.upper(), rest.strip()))
            pending = ""
    return found


def _dockerfile(path: str, text: str) -> Iterator[Violation]:
    instructions = _instructions(text)
    stages: set[str] = set()
    froms = [(n, args) for n, word, args in instructions if word == "FROM"]
    for number, args in froms:
        words = [w for w in args.split() if not w.startswith("--")]
        image = words[0] if words else ""
        if len(words) >= 3 and words[1].lower() == "as":
            stages.add(words[2].lower())
        if image.lower() in stages or image == "scratch" or "$" in image or "@sha256:" in image:
            continue
        tag = image.rsplit("/", 1)[-1].partition(":")[2]
        if not tag or tag == "latest":
            yield at_line(path, f"base image `{image}` is not pinned to a version tag", number)
    if len(froms) == 1 and any(
        word == "RUN"
        and BUILD_TOOLS.search(args)
        and "install" in args
        and not REMOVED.search(args)  # installed, used and purged in the same layer
        for _, word, args in instructions
    ):
        yield at_line(
            path, "single-stage image installs build tools: build in a first stage", froms[0][0]
        )
    users = [(n, args.strip()) for n, word, args in instructions if word == "USER"]
    drops = DROPS_PRIVILEGES.search(text)  # the entrypoint switches to a user itself
    if not drops and (not users or users[-1][1].split(":")[0] in ("root", "0")):
        yield at_line(
            path, "the image runs as root: add a non-root USER", users[-1][0] if users else 1
        )
