"""Which distribution provides an imported module: the standard library, the project itself,
or a third party under the same or a well-known different name."""

from __future__ import annotations

import functools
import sys

from prodready.project.requirements import canonical

# Modules of the standard library of every Python prodready audits for: those of the running
# interpreter, plus modules removed since 3.8 (distutils, imp, asynchat, asyncore, smtpd in 3.12;
# the "dead batteries" of PEP 594 in 3.13) and modules added after 3.11.
REMOVED = frozenset(
    {
        "distutils",
        "imp",
        "asynchat",
        "asyncore",
        "smtpd",
        "aifc",
        "audioop",
        "cgi",
        "cgitb",
        "chunk",
        "crypt",
        "imghdr",
        "mailcap",
        "msilib",
        "nis",
        "nntplib",
        "ossaudiodev",
        "pipes",
        "sndhdr",
        "spwd",
        "sunau",
        "telnetlib",
        "uu",
        "xdrlib",
        "lib2to3",
        "tkinter",
        "_tkinter",
        "binhex",
        "formatter",
        "parser",
        "symbol",
        "_bootlocale",
        "dummy_threading",
        "macpath",
    }
)
ADDED = frozenset({"annotationlib", "compression", "_interpreters", "_pyrepl"})
STDLIB = frozenset(sys.stdlib_module_names) | REMOVED | ADDED | {"__future__", "_typeshed"}

# Import names whose distribution is named differently (the common cases deptry also knows).
KNOWN_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "yaml": ("pyyaml",),
    "cv2": (
        "opencv-python",
        "opencv-python-headless",
        "opencv-contrib-python",
        "opencv-contrib-python-headless",
    ),
    "PIL": ("pillow",),
    "sklearn": ("scikit-learn",),
    "skimage": ("scikit-image",),
    "bs4": ("beautifulsoup4",),
    "dateutil": ("python-dateutil",),
    "jwt": ("pyjwt",),
    "jose": ("python-jose",),
    "attr": ("attrs",),
    "dotenv": ("python-dotenv",),
    "magic": ("python-magic",),
    "multipart": ("python-multipart",),
    "slugify": ("python-slugify",),
    "Crypto": ("pycryptodome", "pycryptodomex"),
    "Cryptodome": ("pycryptodomex",),
    "OpenSSL": ("pyopenssl",),
    "google.protobuf": ("protobuf",),
    "google.cloud": ("google-cloud-core",),
    "googleapiclient": ("google-api-python-client",),
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "psycopg": ("psycopg", "psycopg-binary"),
    "MySQLdb": ("mysqlclient",),
    "serial": ("pyserial",),
    "usb": ("pyusb",),
    "zmq": ("pyzmq",),
    "git": ("gitpython",),
    "github": ("pygithub",),
    "docx": ("python-docx",),
    "pptx": ("python-pptx",),
    "fitz": ("pymupdf",),
    "Levenshtein": ("python-levenshtein", "levenshtein"),
    "win32api": ("pywin32",),
    "win32com": ("pywin32",),
    "pywintypes": ("pywin32",),
    "pkg_resources": ("setuptools",),
    "setuptools": ("setuptools",),
    "_pytest": ("pytest",),
    "pytest_asyncio": ("pytest-asyncio",),
    "xdist": ("pytest-xdist",),
    "markdown_it": ("markdown-it-py",),
    "mdurl": ("mdurl",),
    "pydantic_core": ("pydantic-core", "pydantic"),
    "pydantic_settings": ("pydantic-settings",),
    "typing_extensions": ("typing-extensions",),
    "importlib_metadata": ("importlib-metadata",),
    "importlib_resources": ("importlib-resources",),
    "ruamel": ("ruamel-yaml",),
    "sentry_sdk": ("sentry-sdk",),
    "grpc": ("grpcio",),
    "tree_sitter": ("tree-sitter",),
    "socks": ("pysocks",),
    "nacl": ("pynacl",),
    "lxml": ("lxml",),
    "wx": ("wxpython",),
    "gi": ("pygobject",),
    "cairo": ("pycairo",),
    "Xlib": ("python-xlib",),
    "ldap": ("python-ldap",),
    "memcache": ("python-memcached",),
    "snappy": ("python-snappy",),
    "lz4": ("lz4",),
    "toml": ("toml",),
    "tomli_w": ("tomli-w",),
    "mpl_toolkits": ("matplotlib",),
    "pylab": ("matplotlib",),
    "kafka": ("kafka-python",),
    "faiss": ("faiss-cpu", "faiss-gpu"),
    "onnxruntime": ("onnxruntime", "onnxruntime-gpu"),
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tf-nightly"),
    "torch": ("torch",),
    "huggingface_hub": ("huggingface-hub",),
    "sqlalchemy": ("sqlalchemy",),
    "flask_sqlalchemy": ("flask-sqlalchemy",),
    "rest_framework": ("djangorestframework",),
    "debug_toolbar": ("django-debug-toolbar",),
    "corsheaders": ("django-cors-headers",),
    "environ": ("django-environ",),
    "colorlog": ("colorlog",),
    "pkg_about": ("pkg-about",),
    "cyclonedx": ("cyclonedx-python-lib",),
    "zope": ("zope-interface", "zope-event"),
    "dns": ("dnspython",),
    "websocket": ("websocket-client",),
    "ruamel.yaml": ("ruamel-yaml",),
}
# Distributions that are used without being imported: type stubs, plug-ins loaded by their host,
# servers and tools run as programs, and compatibility shims.
NOT_IMPORTED_ON_PURPOSE = (
    "types-",
    "pytest-",
    "flake8-",
    "mypy-",
    "sphinx-",
    "mkdocs-",
    "pre-commit",
    "uvicorn",
    "gunicorn",
    "hypercorn",
    "granian",
    "psycopg2-binary",
    "psycopg-binary",
    "python-multipart",
    "email-validator",
    "tzdata",
    "certifi",
    "setuptools",
    "wheel",
    "pip",
    "cffi",
    "importlib-metadata",
    "typing-extensions",
    "backports.",
    "coverage",
    "tomli",
    "exceptiongroup",
    "colorama",
)


def is_stdlib(module: str) -> bool:
    """True for a module of the standard library of some supported Python."""
    return module.split(".", maxsplit=1)[0] in STDLIB


@functools.lru_cache(maxsize=8192)
def candidate_distributions(module: str) -> frozenset[str]:
    """The distribution names an import could come from, canonicalised."""
    parts = module.split(".")
    names = {canonical(parts[0]), canonical(parts[0]).replace("-", "")}
    for size in range(len(parts), 0, -1):
        known = KNOWN_DISTRIBUTIONS.get(".".join(parts[:size]))
        if known:
            names.update(canonical(d) for d in known)
    names.add(canonical("-".join(parts[:3])))
    names.add(canonical("-".join(parts[:2])))
    names.add("python-" + canonical(parts[0]))
    names.add("py" + canonical(parts[0]))
    names.add(canonical(parts[0]) + "-python")
    return frozenset(names)


def used_without_import(distribution: str) -> bool:
    """True for distributions people depend on without importing them (stubs, plug-ins, servers)."""
    return distribution.startswith(NOT_IMPORTED_ON_PURPOSE) or distribution.endswith("-stubs")
