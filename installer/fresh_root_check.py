#!/usr/bin/env python3
"""The README's two commands on a machine that has nothing: a fresh Debian root, checked in chroot.

    sudo python3 installer/fresh_root_check.py [--suite bookworm] [--suite trixie] [--keep]

For each suite it builds a root with ``debootstrap --variant=minbase`` in a temporary folder,
installs only python3, python3-venv, python3-pip and git (no recommends: a bare office PC has
no compiler or python3-dev, and python3-dev would hide a missing libpython), clones this
checkout's committed HEAD into it (what CI's clean clone holds, not the working tree), and runs
as root inside ``chroot``:

    python3 bootstrap.py run     (no display: must leave fazhi-screenshot.png)
    python3 bootstrap.py test <TESTS>   (the PyInstaller bundle tests and core tests)

/proc, /sys and /dev are mounted for the chroot and always unmounted (lazily) again, even on
failure; the root is deleted afterwards unless ``--keep``. Each phase's wall time is printed.
The network is the machine's: Debian's mirror over http and PyPI; a TLS-inspecting proxy's CA
that the host trusts (/usr/local/share/ca-certificates) is trusted inside the root too, and
proxy variables are passed through. Needs root (debootstrap, mount, chroot) and Debian's apt.
tests/test_fresh_root.py (slow) drives it; tests/test_deb_package.py reuses ``fresh_root``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITES = ("bookworm", "trixie")
MIRROR = os.environ.get("FAZHI_DEBIAN_MIRROR", "http://deb.debian.org/debian")
SECURITY_MIRROR = os.environ.get("FAZHI_DEBIAN_SECURITY", "http://deb.debian.org/debian-security")
BASE_PACKAGES = ("python3", "python3-venv", "python3-pip", "git")
# The PyInstaller bundle (and NSIS) tests, the command line end to end, the database layer.
DEFAULT_TESTS = ("tests/test_installer.py", "tests/test_cli.py", "tests/test_db.py")
CHECKOUT_IN_ROOT = "/root/fazhi-desktop"
CHROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# The machine's network settings a chroot would not otherwise see.
PASS_THROUGH = (
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "PIP_INDEX_URL",
    "PIP_DEFAULT_TIMEOUT",
)
HOST_CA_DIR = Path("/usr/local/share/ca-certificates")
SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


class CheckFailed(Exception):
    """A phase failed; the message says which and how."""


@dataclass
class Timings:
    """Wall time of each phase, printed as it ends so a slow CI log shows where time went."""

    label: str
    phases: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        say(f"[{self.label}] {name} …")
        started = time.monotonic()
        try:
            yield
        finally:
            seconds = time.monotonic() - started
            self.phases.append((name, seconds))
            say(f"[{self.label}] {name}: {seconds:.0f} s")

    def report(self) -> str:
        lines = [f"{self.label}:"]
        lines += [f"  {name:<54} {seconds:6.0f} s" for name, seconds in self.phases]
        total = sum(seconds for _, seconds in self.phases)
        lines.append(f"  {'total':<54} {total:6.0f} s")
        return "\n".join(lines)


def say(message: str) -> None:
    print(f"[fresh-root] {message}", flush=True)


def run(cmd: list[str], what: str, **kwargs: object) -> None:
    result = subprocess.run(cmd, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise CheckFailed(f"{what} failed (exit {result.returncode}): {' '.join(cmd)}")


def ensure_debootstrap() -> str:
    found = shutil.which("debootstrap")
    if found is None:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(["apt-get", "update"], "apt-get update", env=env)
        run(["apt-get", "install", "-y", "debootstrap"], "installing debootstrap", env=env)
        found = shutil.which("debootstrap")
    if found is None:
        raise CheckFailed("debootstrap is not on PATH after installing it")
    return found


def sources_list(suite: str) -> str:
    return (
        f"deb {MIRROR} {suite} main\n"
        f"deb {MIRROR} {suite}-updates main\n"
        f"deb {SECURITY_MIRROR} {suite}-security main\n"
    )


# ---------------------------------------------------------------- mounts


def mounts_under(path: Path) -> list[str]:
    """Mount points at or below ``path`` (octal escapes of /proc/self/mounts decoded)."""
    prefix = str(path.resolve())
    found = []
    for line in Path("/proc/self/mounts").read_text(encoding="utf-8").splitlines():
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), line.split()[1])
        if point == prefix or point.startswith(prefix + "/"):
            found.append(point)
    return found


def unmount_all(path: Path) -> None:
    """Lazily unmount everything below ``path``; deepest first, and check nothing is left."""
    for _ in range(3):
        points = mounts_under(path)
        if not points:
            return
        for point in sorted(points, key=len, reverse=True):
            subprocess.run(["umount", "-l", point], check=False, capture_output=True)
    left = mounts_under(path)
    if left:
        raise CheckFailed(f"could not unmount {', '.join(left)}")


@contextmanager
def mounted(root: Path) -> Iterator[None]:
    """/proc, /sys and /dev for the chroot. rslave: unmounting our copies never reaches the host."""
    try:
        run(["mount", "-t", "proc", "proc", str(root / "proc")], "mounting /proc")
        for name in ("sys", "dev"):
            run(["mount", "--rbind", f"/{name}", str(root / name)], f"mounting /{name}")
            run(["mount", "--make-rslave", str(root / name)], f"making /{name} a slave")
        yield
    finally:
        unmount_all(root)


def remove_root(root: Path) -> None:
    # Never delete through a mount: that would delete the host's /dev or /sys entries.
    unmount_all(root)
    subprocess.run(["rm", "-rf", "--one-file-system", str(root)], check=False)


# ---------------------------------------------------------------- the root


@dataclass
class FreshRoot:
    """A debootstrapped Debian root with /proc, /sys and /dev mounted, run into with chroot."""

    path: Path
    suite: str

    def env(self, **extra: str) -> list[str]:
        """A clean environment: nothing of the host's venv or PYTHONPATH leaks in."""
        values = {"HOME": "/root", "PATH": CHROOT_PATH, "LANG": "C.UTF-8", "TERM": "dumb"}
        values["DEBIAN_FRONTEND"] = "noninteractive"
        values.update({k: os.environ[k] for k in PASS_THROUGH if k in os.environ})
        if (self.path / "usr/local/share/ca-certificates").is_dir() and any(HOST_CA_DIR.glob("*")):
            # pip in a venv trusts its own certifi bundle, not the system's: point it there.
            values["PIP_CERT"] = SYSTEM_CA_BUNDLE
        values.update(extra)
        return [f"{key}={value}" for key, value in values.items()]

    def run(
        self, command: str, what: str, *, cwd: str = "/root", offline: bool = False, **extra: str
    ) -> None:
        """Run a shell command inside the root as root; CheckFailed if it fails.

        ``offline``: in a network namespace of its own, which has no network at all.
        """
        cmd = ["chroot", str(self.path), "env", "-i", *self.env(**extra)]
        if offline:
            cmd = ["unshare", "--net", *cmd]
        run([*cmd, "sh", "-c", f"cd {cwd} && {command}"], what, stdin=subprocess.DEVNULL)

    def file(self, inside: str) -> Path:
        return self.path / inside.lstrip("/")


def debootstrap(suite: str, path: Path) -> None:
    tool = ensure_debootstrap()
    run([tool, "--variant=minbase", suite, str(path), MIRROR], f"debootstrap {suite}")
    (path / "etc/apt/sources.list").write_text(sources_list(suite), encoding="utf-8")
    shutil.copy2("/etc/resolv.conf", path / "etc/resolv.conf", follow_symlinks=True)
    if HOST_CA_DIR.is_dir():
        target = path / "usr/local/share/ca-certificates"
        target.mkdir(parents=True, exist_ok=True)
        for cert in HOST_CA_DIR.glob("*.crt"):
            shutil.copy2(cert, target / cert.name)


def install_base(root: FreshRoot, packages: tuple[str, ...]) -> None:
    root.run("apt-get update", "apt-get update")
    if not packages:
        return
    names = " ".join(packages)
    root.run(f"apt-get install -y --no-install-recommends {names}", f"installing {names}")
    if any(root.file("usr/local/share/ca-certificates").glob("*.crt")):
        # The host's TLS-inspecting proxy CA (ca-certificates comes with python3-pip).
        root.run("update-ca-certificates", "update-ca-certificates")


@contextmanager
def fresh_root(
    suite: str,
    timings: Timings,
    *,
    packages: tuple[str, ...] = BASE_PACKAGES,
    keep: bool = False,
) -> Iterator[FreshRoot]:
    """Build a minbase root of ``suite`` with ``packages``; mounted while in use, then deleted."""
    path = Path(tempfile.mkdtemp(prefix=f"fazhi-{suite}-", dir=os.environ.get("FAZHI_ROOT_DIR")))
    path.chmod(0o755)  # mkdtemp's 0700 would become the root's / (apt's _apt user reads it)
    root = FreshRoot(path, suite)
    try:
        with timings.phase(f"debootstrap --variant=minbase {suite}"):
            debootstrap(suite, path)
        with mounted(path):
            with timings.phase(
                " ".join(("apt-get install", *packages)) if packages else "apt-get update"
            ):
                install_base(root, packages)
            yield root
    finally:
        if keep:
            say(f"kept the root: {path}")
        else:
            remove_root(path)


def clone_head(root: FreshRoot, checkout: Path) -> None:
    """A clone of the checkout's committed HEAD: uncommitted or ignored files never get in.

    HEAD is fetched by name, so a detached CI checkout (on no branch) is cloned too.
    """
    target = root.file(CHECKOUT_IN_ROOT)
    run(["git", "init", "--quiet", str(target)], "git init")
    git = ["git", "-C", str(target)]
    run([*git, "fetch", "--quiet", str(checkout.resolve()), "HEAD"], "git fetch HEAD")
    run([*git, "checkout", "--quiet", "--detach", "FETCH_HEAD"], "git checkout")


def check_suite(suite: str, tests: list[str], timings: Timings, *, keep: bool) -> None:
    with fresh_root(suite, timings, keep=keep) as root:
        with timings.phase("git clone HEAD"):
            clone_head(root, ROOT)
        shot = root.file(CHECKOUT_IN_ROOT) / "fazhi-screenshot.png"
        with timings.phase("python3 bootstrap.py run"):
            root.run("python3 bootstrap.py run", "bootstrap.py run", cwd=CHECKOUT_IN_ROOT)
        if not shot.is_file() or shot.stat().st_size == 0:
            raise CheckFailed(f"{suite}: bootstrap.py run left no screenshot {shot}")
        with timings.phase("python3 bootstrap.py test <subset>"):
            # CI=1: a tool the tests need and bootstrap did not install fails instead of skipping.
            root.run(
                "python3 bootstrap.py test -q -p no:cacheprovider " + " ".join(tests),
                "bootstrap.py test",
                cwd=CHECKOUT_IN_ROOT,
                CI="1",
                FAZHI_TEST_WINE="0",  # wine (+ i386) is for tests/test_wine_installer.py only
            )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", action="append", choices=SUITES, help="default: all")
    parser.add_argument("--keep", action="store_true", help="keep the roots (for debugging)")
    parser.add_argument("tests", nargs="*", default=list(DEFAULT_TESTS))
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        say("needs root (debootstrap, mount, chroot): run it with sudo")
        return 2
    reports: list[Timings] = []
    try:
        for suite in args.suite or SUITES:
            reports.append(Timings(suite))
            check_suite(suite, args.tests, reports[-1], keep=args.keep)
    except CheckFailed as error:
        say(f"FAILED: {error}")
        return 1
    finally:
        print("\n".join(timings.report() for timings in reports), flush=True)
    say("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
