"""The README's two commands on fresh Debian 12 and 13 roots (installer/fresh_root_check.py).

Each run debootstraps a minbase root, adds only python3, python3-venv, python3-pip and git, clones
the committed HEAD and runs ``python3 bootstrap.py run`` and ``python3 bootstrap.py test`` (the
PyInstaller bundle tests and core tests) inside chroot. It needs root and Debian's apt, and the
network to Debian's mirror and PyPI; CI has all three. Several minutes per root: see the script.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "installer" / "fresh_root_check.py"


def require_root_and_apt() -> None:
    """Missing privileges are a skip on a dev machine and a failure in CI (like require_tool)."""
    reason = ""
    if not sys.platform.startswith("linux") or shutil.which("apt-get") is None:
        reason = "needs Debian's apt-get"
    elif os.geteuid() != 0:
        reason = "needs root (debootstrap, mount, chroot)"
    if reason and os.environ.get("CI") and sys.platform.startswith("linux"):  # not on Windows CI
        pytest.fail(f"fresh-root check {reason}, which CI must have")
    if reason:
        pytest.skip(reason)


@pytest.mark.slow
@pytest.mark.parametrize("suite", ["bookworm", "trixie"])
def test_readme_commands_work_on_a_fresh_debian_root(suite: str) -> None:
    require_root_and_apt()
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--suite", suite],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=3600,
    )
    # The phase times go to the test's output, so CI's log shows where the minutes went.
    print(proc.stdout[-3000:])
    assert proc.returncode == 0, proc.stdout[-8000:] + proc.stderr[-4000:]
    assert "[fresh-root] all passed" in proc.stdout
    for phase in ("python3 bootstrap.py run", "python3 bootstrap.py test <subset>"):
        assert f"  {phase}" in proc.stdout, phase  # both phases ran and were timed
