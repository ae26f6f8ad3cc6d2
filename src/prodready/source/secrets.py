"""Secret-shaped values in any text file (SEC003): private keys, cloud and API tokens by their
known shapes, and password/secret literals in settings."""

from __future__ import annotations

import itertools
import re

from prodready.source.records import Spot

MAX_PER_FILE = 100  # a file with more secret-shaped values than this is reported by its first

AWS_KEY_ID = "an AWS access key id"
GOOGLE_API_KEY = "a Google API key"
# (literal prefixes that must occur, pattern that starts with one of them, what it is)
TOKENS: tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...] = (
    (
        ("-----BEGIN",),
        re.compile(
            # the header and key material after it (a line break, real or escaped, then base64):
            # a parser's `"-----BEGIN RSA PRIVATE KEY-----"` constant holds no key
            r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----"
            r"(?:\r?\n|(?:\\r)?\\n)[ \t]*(?:[\w-]+:[^\n]*\n)*[ \t]*[A-Za-z0-9+/=]{40}"
        ),
        "a private key",
    ),
    # one entry per prefix: a literal prefix is searched fast, an alternation character by character
    (("AKIA",), re.compile(r"AKIA[0-9A-Z]{16}(?![0-9A-Z])"), AWS_KEY_ID),
    (("ASIA",), re.compile(r"ASIA[0-9A-Z]{16}(?![0-9A-Z])"), AWS_KEY_ID),
    (
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
        re.compile(r"gh[pousr]_[A-Za-z0-9]{36}(?!\w)"),
        "a GitHub token",
    ),
    (("github_pat_",), re.compile(r"github_pat_[A-Za-z0-9_]{60,}"), "a GitHub fine-grained token"),
    (("glpat-",), re.compile(r"glpat-[A-Za-z0-9_-]{20}(?![\w-])"), "a GitLab token"),
    (("xox",), re.compile(r"xox[abposr]-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (("AIza",), re.compile(r"AIza[0-9A-Za-z_-]{35}(?![\w-])"), GOOGLE_API_KEY),
    (("k_live_",), re.compile(r"[rs]k_live_[0-9A-Za-z]{24,}"), "a Stripe live key"),
    (("pypi-AgE",), re.compile(r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"), "a PyPI token"),
    (("sk-",), re.compile(r"sk-(?:proj-)?[A-Za-z0-9_-]{40,}(?![\w-])"), "an OpenAI-style API key"),
    (("hf_",), re.compile(r"hf_[A-Za-z0-9]{34}(?!\w)"), "a Hugging Face token"),
)
KEYWORDS = (
    "password",
    "passwd",
    "secret",
    "apikey",
    "api_key",
    "accesskey",
    "access_key",
    "auth_token",
    "authtoken",
    "private_key",
    "privatekey",
)
# What follows an identifier that names a secret: `= "value"`, `: 'value'` (the identifier is
# found around the keyword without a regular expression, so no input makes this backtrack).
ASSIGNED_VALUE = re.compile(r"""["']?[ \t]*[:=][ \t]*[rbuRBU]?(["'])([^"'\s]{8,})\1""")
PLACEHOLDER = re.compile(
    r"(?i)example|dummy|fake|test|sample|placeholder|changeme|change-me|change_me|xxx|\*\*\*|your|secret|password|"
    r"<|>|\$\{|\{\{|%\(|^\$|redacted|none|null|todo|insecure|localhost|\.\.\."
)


# A URL whose host is a staging, sandbox or CI instance of a service (`https://hub-ci.huggingface.co`,
# `https://api.sandbox.example.com`): test code that names one beside a token uses that
# instance's throw-away tokens
SANDBOX_HOST = re.compile(r"://[\w.-]*?(?:staging|sandbox|(?<![a-z])ci(?![a-z]))[\w.-]*[/\"'\s]")
SANDBOX_WINDOW = 600  # characters either side of a token where its instance is named


def _for_a_sandbox(text: str, offset: int) -> bool:
    """True when a staging, sandbox or CI instance's URL is named near the token at `offset`."""
    window = text[max(0, offset - SANDBOX_WINDOW) : offset + SANDBOX_WINDOW]
    return "://" in window and SANDBOX_HOST.search(window) is not None


def secrets_in(text: str, settings_like: bool, tests: bool = False) -> list[Spot]:
    """(line, what) for every secret-shaped value, the first `MAX_PER_FILE`; literals only in
    settings-like files; in `tests`, no token beside the URL of the staging or CI instance it
    is for (a throw-away credential of that instance).

    Linear in the text whatever its shape: token patterns start with a literal and have
    bounded repeats, and literals are found from the keyword outwards, each identifier once."""
    found: list[tuple[int, str]] = []
    for prefixes, pattern, what in TOKENS:
        if len(prefixes) == 1 and prefixes[0] not in text:
            continue
        for match in pattern.finditer(text):
            start = match.start()
            if (
                start
                and (text[start - 1].isalnum() or text[start - 1] == "_")
                and not what.endswith("private key")
            ) or "EXAMPLE" in match.group(0):
                continue  # AWS's documented `AKIAIOSFODNN7EXAMPLE` names no account
            if not what.endswith("private key") and len(set(match.group(0)[-12:])) <= 2:
                continue  # a filler, not a key: `AKIA6666666666666666`, `ghp_xxxxxxxx…`
            if what == AWS_KEY_ID and not _aws_secret_near(text, start):
                continue  # an access key id alone authenticates nothing (sample output, docs)
            if tests and not what.endswith("private key") and _for_a_sandbox(text, start):
                continue  # the tests' token for the staging instance they name
            found.append((start, what))
    if settings_like:
        found += _literals(text)
    return sorted(set(_with_lines(text, found)))[:MAX_PER_FILE]


# An AWS secret access key: 40 characters of base64 (with at least one digit and both cases).
AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
AWS_WINDOW = 400  # characters either side of an access key id where its secret would be


def _aws_secret_near(text: str, offset: int) -> bool:
    """True when a secret access key sits near the access key id at `offset`: only the pair
    signs requests."""
    window = text[max(0, offset - AWS_WINDOW) : offset + AWS_WINDOW]
    return any(
        len(set(key)) > 8
        and any(c.isdigit() for c in key)
        and any(c.islower() for c in key)
        and any(c.isupper() for c in key)
        for key in AWS_SECRET.findall(window)
    )


def _literals(text: str) -> list[tuple[int, str]]:
    """`password = "..."`-style assignments of a literal that is not a placeholder."""
    found: list[tuple[int, str]] = []
    searched_to = -1
    for offset in _keyword_offsets(text.lower()):
        if offset < searched_to:
            continue  # inside an identifier already read
        begin, end = offset, offset
        while begin > 0 and _word(text[begin - 1]):
            begin -= 1
        while end < len(text) and _word(text[end]):
            end += 1
        searched_to = end
        match = ASSIGNED_VALUE.match(text, end)
        if match is None:
            continue
        value = match.group(2)
        if (
            not PLACEHOLDER.search(value)
            and not _looks_like_code(value)
            and not _alphabet_run(value)
            and any(c.isalnum() for c in value)  # `"--------"`: the mask a UI shows instead
            and not _commented(text, begin)
        ):
            found.append((begin, f"a literal `{text[begin:end]}`"))
    return found


def _alphabet_run(value: str, length: int = 8) -> bool:
    """True when the value holds eight characters in alphabet order (`abcdefgh`, `01234567`):
    a character set to draw keys from, or a key typed as the alphabet for tests."""
    run = 1
    for before, after in itertools.pairwise(value):
        run = run + 1 if ord(after) == ord(before) + 1 else 1
        if run >= length:
            return True
    return False


def _commented(text: str, offset: int) -> bool:
    """True when the line holding `offset` is a comment (`#`, `;`, `//`): an example setting."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text[line_start:offset].lstrip().startswith(("#", ";", "//"))


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _with_lines(text: str, found: list[tuple[int, str]]) -> list[Spot]:
    """The offsets as line numbers, counted in one pass."""
    spots: list[Spot] = []
    line, position = 1, 0
    for offset, what in sorted(found):
        line += text.count("\n", position, offset)
        position = offset
        spots.append(Spot(line, what))
    return spots


def _keyword_offsets(lowered: str) -> list[int]:
    """Where a secret-naming word occurs (plain substring search: much faster than a regex)."""
    offsets = []
    for keyword in KEYWORDS:
        position = lowered.find(keyword)
        while position != -1:
            offsets.append(position)
            position = lowered.find(keyword, position + len(keyword))
    return sorted(offsets)


def _looks_like_code(value: str) -> bool:
    """Values that name something rather than hold it: environment variable names, paths, URLs,
    and words of a language other than English (a label such as "Passwort" or "パスワード")."""
    return (
        value.isupper()
        or (not value.isascii() and any(not c.isascii() and c.isalpha() for c in value))
        or value.startswith(("/", "http", "os.", "env"))
        or ("." in value and " " not in value and value.count(".") >= 2)
    )
