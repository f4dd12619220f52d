#!/usr/bin/env python3
"""Build the Debian package of 法治台账: dist/fazhi-desktop_X.Y.Z_<arch>.deb (统信UOS, 麒麟).

    python3 installer/build-linux.py               (release: a clean build venv, pinned versions)
    python3 installer/build-linux.py --python PY   (use PY, which already has PyInstaller)
    python3 installer/build-linux.py --bundle DIR  (package an existing PyInstaller bundle)
    … --build DIR --dist DIR                       (work and output folders; default build/, dist/)

Steps, like installer/build-windows.ps1:
  1. a clean build environment in build/linux-venv, apart from the developer's .venv, with the
     program and PyInstaller at the versions in installer/constraints.txt (needs PyPI)
  2. PyInstaller with installer/fazhi-desktop.spec  -> build/linux-dist/fazhi-desktop/
  3. a smoke test of the bundle (fazhi --version, a screenshot drawn offscreen)
  4. dpkg-deb                                        -> dist/fazhi-desktop_X.Y.Z_<arch>.deb
The package holds everything (Python, Qt, fonts) under /opt/fazhi-desktop, links ``fazhi`` and
``fazhi-desktop`` into /usr/bin, adds the 法治台账 menu entry and its icon, and depends only on
the system libraries Qt loads (bootstrap.py's lists), so installing it needs no network beyond
the system's own package source, and running it none at all. User data stays in the user's
folders (~/.local/share/fazhi-desktop …): removing the package never touches it.
The last line printed is the path of the .deb. tests/test_deb_package.py installs it into a
fresh Debian 12 root. Build on the oldest system the package must run on (glibc).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import bootstrap  # noqa: E402  (standard library only: the Qt library lists)

PACKAGE = "fazhi-desktop"
PREFIX = f"/opt/{PACKAGE}"
SPEC = ROOT / "installer" / "fazhi-desktop.spec"
CONSTRAINTS = ROOT / "installer" / "constraints.txt"
ICON = ROOT / "resources" / "icons" / "fazhi.png"  # 256×256

DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Version=1.0
Name=法治台账
Name[zh_CN]=法治台账
GenericName=法治政府建设工作台账
Comment=离线记录法治政府建设工作台账，导出 Excel 和 PDF
Exec=fazhi-desktop
Icon=fazhi-desktop
Terminal=false
Categories=Office;
Keywords=台账;法治;Excel;PDF;
"""


class BuildError(Exception):
    """A step failed: the message says which."""


def say(message: str) -> None:
    print(f"[build-linux] {message}", flush=True)


def check(cmd: list[str], what: str, **kwargs: object) -> None:
    """Run a build step; its output goes straight to the console."""
    try:
        subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]
    except subprocess.CalledProcessError as error:
        raise BuildError(f"{what}失败（退出码 {error.returncode}）：{' '.join(cmd)}") from error


def read_version() -> str:
    text = (ROOT / "fazhi_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise BuildError("fazhi_desktop/__init__.py 里找不到 __version__")
    return match.group(1)


def build_python(build: Path) -> Path:
    """build/linux-venv with the pinned program and PyInstaller (created once, updated each run)."""
    venv = build / "linux-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        say(f"创建构建用虚拟环境 {venv}")
        check([sys.executable, "-m", "venv", str(venv)], "创建虚拟环境")
    say("安装依赖（版本见 installer/constraints.txt）")
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    check([*pip, "--constraint", str(CONSTRAINTS), ".", "pyinstaller"], "安装依赖", cwd=ROOT)
    return python


def freeze(python: Path, build: Path) -> Path:
    """PyInstaller with the same spec as the Windows build; returns the bundle folder."""
    libpython = bootstrap._python_shared_library()
    present = bootstrap._shared_libraries()
    if libpython is not None and present is not None and libpython[0] not in present:
        # Debian's python3 links libpython statically; PyInstaller must copy the shared one.
        bootstrap.apt_install([libpython[1]], " Python 共享库（PyInstaller 需要）")
    dist, work = build / "linux-dist", build / "linux-pyinstaller"
    env = {k: v for k, v in os.environ.items() if k not in ("FAZHI_DEBUG_BUILD", "PYTHONPATH")}
    say("PyInstaller 打包中（几分钟）…")
    check(
        [
            *(str(python), "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level=WARN"),
            *(f"--distpath={dist}", f"--workpath={work}", str(SPEC)),
        ],
        "PyInstaller",
        cwd=ROOT,
        env=env,
    )
    return dist / PACKAGE


def smoke_test(bundle: Path, version: str) -> None:
    """The frozen programs start, with throwaway data folders and no display."""
    with tempfile.TemporaryDirectory(prefix="fazhi-smoke-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env.update(QT_QPA_PLATFORM="offscreen", FAZHI_DATA_DIR=f"{tmp}/data")
        env.update(FAZHI_CONFIG_DIR=f"{tmp}/config", FAZHI_LOG_DIR=f"{tmp}/logs")
        reported = subprocess.run(
            [str(bundle / "fazhi"), "--version"], capture_output=True, text=True, env=env
        ).stdout.strip()
        if reported != f"{PACKAGE} {version}":
            raise BuildError(f"打包后的 fazhi --version 输出“{reported}”")
        shot = Path(tmp) / "shot.png"
        check([str(bundle / PACKAGE), "--screenshot", str(shot)], "打包后的程序截图", env=env)
        if not shot.is_file():
            raise BuildError("打包后的程序没有生成截图")


def depends() -> str:
    """Qt's system libraries (bootstrap.py's lists; alternatives for renamed packages) and glibc."""
    groups = {*bootstrap.QT_CORE_LIBS.values(), *bootstrap.QT_XCB_LIBS.values()}
    fields = sorted(" | ".join(group) for group in groups)
    glibc = os.confstr("CS_GNU_LIBC_VERSION") or ""  # "glibc 2.36": the bundle needs at least it
    if glibc.startswith("glibc "):
        fields.insert(0, f"libc6 (>= {glibc.split()[1]})")
    return ", ".join(fields)


def architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def control(version: str, arch: str, installed_kib: int) -> str:
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {arch}\n"
        "Maintainer: 法治台账 <fazhi-desktop@localhost>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {depends()}\n"
        "Section: misc\n"
        "Priority: optional\n"
        "Description: 法治台账：法治政府建设工作台账桌面程序（离线、单机）\n"
        " 代替手工维护的 Excel 工作台账：按完成时间自动着色，逐月填报进展，\n"
        " 导出 Excel 和 PDF 报送、打印签字。全部数据保存在本机，不需要联网。\n"
        " 包含窗口程序 fazhi-desktop 和命令行 fazhi。\n"
    )


def _normalise_modes(tree: Path) -> None:
    """Directories and executables 0755, other files 0644, whatever the build umask was."""
    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir() or os.access(path, os.X_OK):
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def strip_libraries(tree: Path) -> None:
    """Drop symbols from the shared libraries, as Debian's own packages do (≈ 40 MB less).

    Only ``*.so*``: the two programs carry PyInstaller's archive after their ELF image, which
    strip would cut off.
    """
    strip = shutil.which("strip")
    if strip is None:
        say("找不到 strip（binutils），共享库不去符号，包会大一些。")
        return
    libraries = [
        str(p) for p in tree.rglob("*.so*") if p.is_file() and not p.is_symlink() and _is_elf(p)
    ]
    for start in range(0, len(libraries), 200):
        check([strip, "--strip-unneeded", *libraries[start : start + 200]], "strip")


def _is_elf(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def stage(bundle: Path, version: str, arch: str, staging: Path) -> None:
    """The package's file tree: /opt, /usr/bin links, menu entry, icon, licences, DEBIAN/."""
    shutil.copytree(bundle, staging / PREFIX.lstrip("/"), symlinks=True)
    strip_libraries(staging / PREFIX.lstrip("/"))
    usr = staging / "usr"
    (usr / "bin").mkdir(parents=True)
    for program in ("fazhi", PACKAGE):
        (usr / "bin" / program).symlink_to(f"{PREFIX}/{program}")
    applications = usr / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / f"{PACKAGE}.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")
    icons = usr / "share" / "icons" / "hicolor" / "256x256" / "apps"
    icons.mkdir(parents=True)
    shutil.copy2(ICON, icons / f"{PACKAGE}.png")
    doc = usr / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "法治台账 (fazhi-desktop): MIT License.\n"
        f"Bundled fonts and data carry their own licences: see {PREFIX}/_internal/resources/.\n",
        encoding="utf-8",
    )
    _normalise_modes(staging)
    size = sum(p.lstat().st_size for p in staging.rglob("*") if not p.is_dir())
    debian = staging / "DEBIAN"
    debian.mkdir()
    (debian / "control").write_text(control(version, arch, size // 1024 + 1), encoding="utf-8")
    (debian / "control").chmod(0o644)


def build_deb(bundle: Path, version: str, build: Path, dist: Path) -> Path:
    if shutil.which("dpkg-deb") is None:
        raise BuildError("找不到 dpkg-deb：请在 Debian、统信UOS 或麒麟上构建")
    arch = architecture()
    dist.mkdir(parents=True, exist_ok=True)
    out = dist / f"{PACKAGE}_{version}_{arch}.deb"
    staging = build / "deb-root"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    stage(bundle, version, arch, staging)
    say(f"dpkg-deb 打包 {out.name}（xz 压缩，约需几分钟）…")
    check(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(staging), str(out)], "dpkg-deb")
    shutil.rmtree(staging, ignore_errors=True)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--python", type=Path, help="已装好 PyInstaller 和本程序的 Python")
    how.add_argument("--bundle", type=Path, help="已有的 PyInstaller 打包目录（跳过打包）")
    parser.add_argument("--build", type=Path, default=ROOT / "build", help="工作目录")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help=".deb 的输出目录")
    args = parser.parse_args(argv)
    build, dist = args.build.resolve(), args.dist.resolve()
    try:
        version = read_version()
        say(f"版本 {version}")
        if args.bundle is not None:
            bundle = args.bundle.resolve()
        else:
            bundle = freeze(args.python or build_python(build), build)
        smoke_test(bundle, version)
        deb = build_deb(bundle, version, build, dist)
    except BuildError as error:
        say(f"错误：{error}")
        return 1
    say(f"完成（{deb.stat().st_size / 2**20:.1f} MB）：")
    print(deb, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
