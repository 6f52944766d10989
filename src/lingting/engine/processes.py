"""How a command's processes end: worker processes die with their parent, and a run that
is stopped (Ctrl+C, SIGTERM) or crashes says so with its own exit status.

Exit statuses of the file commands (`lingting score`, `lingting kpis`, `lingting import`):
0 every line done, 1 some lines rejected, 2 nothing could be read, `EXIT_STOPPED` (3) the
run was interrupted or crashed before it finished (what it wrote may be partial).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

EXIT_STOPPED = 3
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_PARENT_POLL_SECONDS = 1.0


class Terminated(BaseException):
    """SIGTERM, raised in the main thread like KeyboardInterrupt (and, like it, not an
    Exception: nothing that handles errors takes it for one)."""


@contextmanager
def terminate_raises() -> Iterator[None]:
    """Within the block SIGTERM raises `Terminated`, so the run unwinds (transactions roll
    back, files close) and can tell why it stopped."""

    def raise_terminated(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stopped_reason(exc: BaseException) -> str:
    """One line saying why a run stopped."""
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted (Ctrl+C); nothing after this point was done"
    if isinstance(exc, Terminated):
        return "stopped by SIGTERM; nothing after this point was done"
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"stopped by an error: {type(exc).__name__}{': ' + detail if detail else ''}"


def die_with_parent(parent: int) -> None:
    """In a worker process, first thing: be killed when `parent` dies, however it dies (a
    `kill -9` runs no clean-up, and a worker left behind holds what it inherited: files,
    sockets, a database session's locks). SIGTERM goes back to its default, too."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    else:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    # The parent may have died before the line above: then nothing will send the signal.
    if os.getppid() != parent:
        os._exit(EXIT_STOPPED)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(EXIT_STOPPED)
