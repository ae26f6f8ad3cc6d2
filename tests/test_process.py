"""The process wrapper: output, exit codes, input, time-outs and programs that do not exist."""

from __future__ import annotations

import sys

from prodready.process import run


def test_output_and_exit_code() -> None:
    done = run(
        [
            sys.executable,
            "-c",
            "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)",
        ]
    )
    assert done is not None
    assert (done.returncode, done.stdout.strip(), done.stderr.strip()) == (3, b"out", b"err")


def test_large_input_round_trips() -> None:
    data = b"x" * 500_000
    done = run(
        [sys.executable, "-c", "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read())"],
        stdin=data,
    )
    assert done is not None
    assert done.stdout == data


def test_timeout_and_missing_program() -> None:
    assert run([sys.executable, "-c", "import time; time.sleep(10)"], timeout=0.3) is None
    assert run(["prodready-no-such-program"]) is None
