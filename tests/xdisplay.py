"""A real X display for tests: Xvfb at an office screen's size, with a window manager.

Offscreen rendering hid a segfault and a tiny first window; these tests start the program the
way a user's desktop does. Xvfb and openbox write to files, never to pipes a test would have to
drain (a daemon holding a pipe hangs ``subprocess.run``).
"""

from __future__ import annotations

import os
import random
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

SCREEN = (1366, 768)


@contextmanager
def x_display(folder: Path, size: tuple[int, int] = SCREEN) -> Iterator[dict[str, str]]:
    """Start Xvfb and openbox; yields the environment a program needs to use them."""
    # Other X servers may come and go on this machine (other test runs): take a random high
    # display number, and another one if that server or its window manager does not come up.
    numbers = random.Random().sample(range(200, 900), 5)
    for attempt, number in enumerate(numbers):
        if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        try:
            with _x_server(folder / str(number), number, size) as env:
                yield env
                return
        except _NotStarted:
            if attempt == len(numbers) - 1:
                raise
    raise RuntimeError("no free X display")


class _NotStarted(RuntimeError):
    pass


@contextmanager
def _x_server(folder: Path, number: int, size: tuple[int, int]) -> Iterator[dict[str, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb")
    screen = f"{size[0]}x{size[1]}x24"
    with ExitStack() as stack:
        xvfb_log = stack.enter_context((folder / "xvfb.log").open("wb"))
        wm_log = stack.enter_context((folder / "openbox.log").open("wb"))
        xvfb = stack.enter_context(
            _daemon(
                ["Xvfb", f":{number}", "-screen", "0", screen, "-nolisten", "tcp"], env, xvfb_log
            )
        )
        # The socket appears before the server accepts clients: wait until one is served.
        _wait(lambda: _root_property(env, "_NET_SUPPORTING_WM_CHECK") is not None, xvfb, "Xvfb")
        wm = stack.enter_context(_daemon(["openbox"], env, wm_log))
        _wait(
            lambda: "window id" in (_root_property(env, "_NET_SUPPORTING_WM_CHECK") or ""),
            wm,
            "openbox",
        )
        yield env


@contextmanager
def _daemon(
    args: list[str], env: dict[str, str], log: IO[bytes]
) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        args,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _root_property(env: dict[str, str], name: str) -> str | None:
    """The root window's property as xprop prints it; None while the server is not serving."""
    probe = subprocess.run(
        ["xprop", "-root", name], env=env, capture_output=True, text=True, check=False, timeout=10
    )
    return probe.stdout if probe.returncode == 0 else None


def _wait(ready: Callable[[], bool], proc: subprocess.Popen[bytes], name: str) -> None:
    deadline = time.monotonic() + 20
    while not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise _NotStarted(f"{name} did not start (exit code {proc.poll()})")
        time.sleep(0.1)


def window_geometry(
    env: dict[str, str], title: str, timeout: float = 30
) -> tuple[int, int, int, int]:
    """(x, y, width, height) of the first mapped window whose title contains ``title``."""
    found = subprocess.run(
        ["xdotool", "search", "--sync", "--onlyvisible", "--name", title],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    window = found.stdout.split()[0]
    info = subprocess.run(
        ["xwininfo", "-id", window], env=env, capture_output=True, text=True, check=True
    ).stdout
    values = {}
    for line in info.splitlines():
        key, _, value = line.strip().partition(":")
        values[key] = value.strip()
    return (
        int(values["Absolute upper-left X"]),
        int(values["Absolute upper-left Y"]),
        int(values["Width"]),
        int(values["Height"]),
    )
