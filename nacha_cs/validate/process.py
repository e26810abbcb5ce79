"""The validator in a second process, for a writer that makes lines on the first.

:class:`ValidatorProcess` starts ``python -m nacha_cs.validate.process``, sends it the
validator's options, then the file's bytes as they are made, and gets back the findings and
the summary once the file is complete. The child runs
:func:`nacha_cs.validate.engine.validate_stream`
(the validator's fastest loop) over its stdin, so on a machine with two cores checking a large
file costs little wall time. The pipe's own size (raised to 1 MiB where Linux allows) bounds how
far ahead the writer can run, so memory stays flat on both sides.

The child imports :mod:`nacha_cs.validate.engine` only, not the generator, to start quickly.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
from typing import IO

from nacha_cs.findings import Finding
from nacha_cs.validate.engine import Options, Summary, validate_stream

PIPE_SIZE = 1 << 20


class ValidatorProcessFailed(Exception):
    """The process could not start or ended without a verdict: validate in this process."""


class ValidatorProcess:
    def __init__(self, options: Options) -> None:
        package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", __name__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
            )
        except OSError as error:
            raise ValidatorProcessFailed(str(error)) from error
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin: IO[bytes] = self.process.stdin
        self.stdout: IO[bytes] = self.process.stdout
        with contextlib.suppress(OSError, AttributeError, ImportError):
            import fcntl

            fcntl.fcntl(self.stdin.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        self.failed = False
        header = pickle.dumps(options)
        self.send(len(header).to_bytes(8, "big") + header)

    def send(self, data: bytes) -> None:
        """The next bytes of the file (waits while the pipe is full)."""
        if self.failed:
            return
        try:
            self.stdin.write(data)
        except OSError:  # the process is gone (BrokenPipeError): finish() says so
            self.failed = True

    def finish(self) -> tuple[list[Finding], Summary]:
        """The file is complete: the validator's findings and summary."""
        with contextlib.suppress(OSError):
            self.stdin.close()
        data = self.stdout.read()
        code = self.process.wait()
        self.stdout.close()
        if self.failed or code != 0 or not data:
            raise ValidatorProcessFailed(f"the validator process ended with exit code {code}")
        findings, summary = pickle.loads(data)
        return findings, summary

    def abort(self) -> None:
        """Stop the process (no verdict wanted); safe to call more than once."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.stdin, self.stdout):
            with contextlib.suppress(OSError):
                stream.close()


def main() -> None:
    """The child: pickled options, then the file's bytes on stdin; the findings and the
    summary, pickled, on stdout."""
    import gc

    gc.disable()  # the validator makes no cycles; the collector would only walk its objects
    stdin = sys.stdin.buffer
    size = int.from_bytes(stdin.read(8), "big")
    options = pickle.loads(stdin.read(size))
    report = validate_stream(stdin, options)
    sys.stdout.buffer.write(pickle.dumps((report.findings, report.summary)))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
