#!/usr/bin/env python3
"""One-step setup for 法治台账: creates .venv, installs the project, then runs it or its tests.

    python3 bootstrap.py run  [program args…]   (Windows: py bootstrap.py run)
    python3 bootstrap.py test [pytest args…]    (Windows: py bootstrap.py test)

Standard library only, so it works on a machine that has nothing but Python. On Debian/Ubuntu it
also installs the system libraries Qt needs (and, for ``test``, the tools the tests read files
back with) when it may use apt (root or passwordless sudo); otherwise it prints the command.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

# Checked before any function is defined: the annotations below only evaluate on new Pythons.
if sys.version_info < (3, 11):  # noqa: UP036
    sys.stderr.write(
        "法治台账需要 Python 3.11 或更新版本，"
        f"当前是 Python {sys.version_info[0]}.{sys.version_info[1]}。\n"
        "请安装 Python 3.11 或更新版本后用它运行本脚本。Windows：从 python.org 下载安装，"
        "再运行 py bootstrap.py run；Ubuntu 22.04 等较旧系统：sudo apt-get install "
        "python3.11 python3.11-venv，再运行 python3.11 bootstrap.py run。\n"
    )
    sys.exit(1)

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / "fazhi-install.stamp"
CONSTRAINTS = ROOT / "constraints.txt"
SCREENSHOT = ROOT / "fazhi-screenshot.png"
IS_WINDOWS = os.name == "nt"
IS_LINUX = sys.platform.startswith("linux")

# soname -> Debian package names, bookworm's first; later ones are renames on newer releases
# (the 64-bit time_t transition renamed glib on Ubuntu 24.04 / Debian 13).
GLIB = ("libglib2.0-0", "libglib2.0-0t64")
QT_CORE_LIBS: dict[str, tuple[str, ...]] = {
    "libEGL.so.1": ("libegl1",),
    "libGL.so.1": ("libgl1",),
    "libX11.so.6": ("libx11-6",),
    "libxkbcommon.so.0": ("libxkbcommon0",),
    "libfontconfig.so.1": ("libfontconfig1",),
    "libfreetype.so.6": ("libfreetype6",),
    "libglib-2.0.so.0": GLIB,
    "libgthread-2.0.so.0": GLIB,
    "libdbus-1.so.3": ("libdbus-1-3",),
    "libzstd.so.1": ("libzstd1",),
}
# What Qt's xcb platform plugin links against: needed for a real window (and under Xvfb).
QT_XCB_LIBS: dict[str, tuple[str, ...]] = {
    "libX11-xcb.so.1": ("libx11-xcb1",),
    "libxcb.so.1": ("libxcb1",),
    "libxcb-cursor.so.0": ("libxcb-cursor0",),
    "libxcb-glx.so.0": ("libxcb-glx0",),
    "libxcb-icccm.so.4": ("libxcb-icccm4",),
    "libxcb-image.so.0": ("libxcb-image0",),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1",),
    "libxcb-randr.so.0": ("libxcb-randr0",),
    "libxcb-render-util.so.0": ("libxcb-render-util0",),
    "libxcb-render.so.0": ("libxcb-render0",),
    "libxcb-shape.so.0": ("libxcb-shape0",),
    "libxcb-shm.so.0": ("libxcb-shm0",),
    "libxcb-sync.so.1": ("libxcb-sync1",),
    "libxcb-util.so.1": ("libxcb-util1",),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0",),
    "libxcb-xkb.so.1": ("libxcb-xkb1",),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0",),
}
# Tools the tests use to check real output files; each maps to the packages providing it.
TEST_TOOLS: dict[str, tuple[tuple[str, ...], ...]] = {
    "pdftotext": (("poppler-utils",),),
    "pdffonts": (("poppler-utils",),),
    "pdftoppm": (("poppler-utils",),),
    "qpdf": (("qpdf",),),
    "soffice": (
        ("libreoffice-calc-nogui", "libreoffice-calc"),
        ("libreoffice-writer-nogui", "libreoffice-writer"),
    ),
    "Xvfb": (("xvfb",),),
    "xauth": (("xauth",),),
    # Tests under a real X display: a window manager places and decorates the window as an
    # office desktop would, xdotool drives it, xwininfo reads its geometry.
    "openbox": (("openbox",),),
    "xdotool": (("xdotool",),),
    "xwininfo": (("x11-utils",),),
    "xprop": (("x11-utils",),),
    "makensis": (("nsis",),),
    # The PyInstaller bundle test: objdump reads the libraries' dependencies, 7z lists what the
    # compiled installer would unpack.
    "objdump": (("binutils",),),
    "7z": (("p7zip-full", "7zip"),),
    # The 收取报送 tests run a private IMAP server (tests/imap_server.py).
    "dovecot": (("dovecot-imapd",),),
    # 单位模式's tests start a private PostgreSQL cluster (initdb, pg_ctl from the server package).
    "pg_ctlcluster": (("postgresql",),),
}

USAGE = """用法：
  python3 bootstrap.py run  [程序参数…]     创建/更新 .venv 后启动法治台账
  python3 bootstrap.py test [pytest 参数…]  创建/更新 .venv 后运行全部测试
（Windows 上把 python3 换成 py）"""


class BootstrapError(Exception):
    """An expected failure: its message is shown to the user instead of a stack trace."""


def say(message: str) -> None:
    print(f"[bootstrap] {message}", flush=True)


def venv_python() -> Path:
    if IS_WINDOWS:
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


# ---------------------------------------------------------------- system packages (apt)


_apt_updated = False


def _can_use_apt() -> bool:
    if not IS_LINUX or shutil.which("apt-get") is None:
        return False
    if os.geteuid() == 0:
        return True
    if shutil.which("sudo") is None:
        return False
    probe = subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False)
    return probe.returncode == 0


def _apt_prefix() -> list[str]:
    """Root runs apt directly; others through sudo, which would otherwise drop the env var."""
    base = ["env", "DEBIAN_FRONTEND=noninteractive"]
    return base if os.geteuid() == 0 else ["sudo", "-n", *base]


def _apt_candidates(names: list[str]) -> dict[str, bool]:
    """Which names apt can install: purely virtual or unknown names have no candidate."""
    if shutil.which("apt-cache") is None or not names:
        return {}
    out = subprocess.run(
        ["apt-cache", "policy", *names], capture_output=True, text=True, check=False
    ).stdout
    found: dict[str, bool] = {}
    current = ""
    for line in out.splitlines():
        if line and not line[0].isspace() and line.endswith(":"):
            current = line[:-1]
        elif current and line.strip().startswith("Candidate:"):
            found[current] = line.split(":", 1)[1].strip() != "(none)"
    return found


def _resolve(groups: list[tuple[str, ...]]) -> list[str]:
    """Pick, for each group of alternative names, the first this system's apt can install."""
    every = sorted({name for group in groups for name in group})
    installable = _apt_candidates(every)
    chosen: list[str] = []
    for group in groups:
        pick = next((name for name in group if installable.get(name)), group[0])
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def _apt_update_once() -> None:
    global _apt_updated
    if _apt_updated:
        return
    say("正在更新软件包列表（apt-get update）…")
    result = subprocess.run([*_apt_prefix(), "apt-get", "update"], check=False)
    if result.returncode != 0:
        say(f"apt-get update 失败（退出码 {result.returncode}），仍尝试安装。")
    _apt_updated = True


def apt_install(groups: list[tuple[str, ...]], why: str) -> bool:
    """Install the packages when allowed, else print the command; True if they got installed."""
    if not groups:
        return True
    if not _can_use_apt():
        names = _resolve(groups)
        if IS_LINUX and shutil.which("apt-get"):
            cmd = "sudo apt-get update && sudo apt-get install -y --no-install-recommends "
            say(
                f"无法自动安装（需要 root 或免密码 sudo）。请运行以下命令安装{why}，"
                f"然后重新运行本脚本：\n    {cmd}{' '.join(names)}"
            )
        else:
            say(f"请用本系统的包管理器安装{why}（Debian 包名）：{' '.join(names)}")
        return False
    _apt_update_once()
    names = _resolve(groups)
    say(f"正在用 apt-get 安装{why}：{' '.join(names)}")
    cmd = [*_apt_prefix(), "apt-get", "install", "-y", "--no-install-recommends"]
    # A fresh Ubuntu often runs unattended-upgrades at boot: wait for its lock, don't fail.
    cmd += ["-o", "DPkg::Lock::Timeout=600", *names]
    result = subprocess.run(cmd, check=False)
    if result.returncode != 0:
        say(f"apt-get install 失败（退出码 {result.returncode}），请查看上面 apt 的输出。")
        return False
    return True


def _shared_libraries() -> set[str] | None:
    """Sonames the dynamic loader knows about (this architecture only), or None if unknown."""
    ldconfig = shutil.which("ldconfig") or next(
        (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.path.exists(p)), None
    )
    if ldconfig is None:
        return None
    result = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return None
    want_64 = sys.maxsize > 2**32
    names: set[str] = set()
    for line in result.stdout.splitlines():
        match = re.match(r"\s+(\S+) \(([^)]*)\)", line)
        # A 32-bit copy of a library (multiarch i386) would not satisfy a 64-bit Qt.
        if match and (not want_64 or "64" in match.group(2)):
            names.add(match.group(1))
    return names


def _python_shared_library() -> tuple[str, tuple[str, ...]] | None:
    """The libpython PyInstaller bundles and its Debian package, unless it is beside Python.

    Debian's python3 is linked statically and ships libpython3.X.so.1.0 apart (libpython3.X),
    yet its sysconfig says Py_ENABLE_SHARED=1 (it describes the shared build), so look for the
    file: a shared build (pyenv, python.org) has it in LIBDIR; else the loader must know it.
    """
    minor = sys.version_info.minor
    soname = sysconfig.get_config_var("INSTSONAME") or f"libpython3.{minor}.so.1.0"
    libdir = sysconfig.get_config_var("LIBDIR")
    if libdir and (Path(libdir) / soname).exists():
        return None
    return soname, (f"libpython3.{minor}",)


def check_system(*, xcb: bool, tools: bool) -> None:
    """Install (or explain how to install) what Qt and the tests need from the OS. Linux only."""
    if not IS_LINUX:
        return
    wanted = dict(QT_CORE_LIBS)
    if xcb:
        wanted.update(QT_XCB_LIBS)
    present = _shared_libraries()
    groups: list[tuple[str, ...]] = []
    if present is None:
        say("找不到 ldconfig，跳过系统库检查。")
    else:
        missing = [soname for soname in wanted if soname not in present]
        if missing:
            say(f"缺少 Qt 需要的系统库：{' '.join(missing)}")
            groups += [wanted[soname] for soname in missing]
    if groups:
        apt_install(groups, " Qt 需要的系统库")
    if tools and present is not None:
        libpython = _python_shared_library()
        if libpython is not None and libpython[0] not in present:
            say(f"缺少打包测试（PyInstaller）需要的 {libpython[0]}")
            apt_install([libpython[1]], " Python 共享库")
    if tools:
        missing_tools = [tool for tool in TEST_TOOLS if shutil.which(tool) is None]
        if missing_tools:
            say(f"缺少测试用到的工具：{' '.join(missing_tools)}")
            tool_groups = [group for tool in missing_tools for group in TEST_TOOLS[tool]]
            if not apt_install(tool_groups, "测试用到的工具"):
                say("继续运行测试；需要这些工具的测试在非 CI 环境下会跳过。")
    if tools and _wine_wanted():
        _install_wine()


def _wine_wanted() -> bool:
    """wine is several hundred MB: only in CI (unless FAZHI_TEST_WINE=0) or if FAZHI_TEST_WINE=1."""
    wine = os.environ.get("FAZHI_TEST_WINE")
    return wine == "1" or (bool(os.environ.get("CI")) and wine != "0")


def _install_wine() -> None:
    """wine and its 32-bit half (an NSIS installer is 32-bit) for tests/test_wine_installer.py."""
    global _apt_updated
    if not IS_LINUX or shutil.which("wine") is not None:
        return
    if _can_use_apt():
        subprocess.run([*_apt_prefix(), "dpkg", "--add-architecture", "i386"], check=False)
        _apt_updated = False  # the i386 package lists are not fetched yet
    apt_install([("wine",), ("wine32:i386",)], " wine（先 dpkg --add-architecture i386）")


# ---------------------------------------------------------------- virtual environment


def _venv_works() -> bool:
    python = venv_python()
    if not python.exists():
        return False
    probe = subprocess.run(
        [str(python), "-c", "import sys, pip; sys.exit(sys.version_info < (3, 11))"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def _venv_package() -> str:
    """Debian splits venv/ensurepip out of python3; name the package for this interpreter."""
    versioned = f"python3.{sys.version_info.minor}-venv"
    return versioned if _apt_candidates([versioned]).get(versioned) else "python3-venv"


def _create_venv() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "venv", str(VENV)], capture_output=True, text=True, check=False
    )


def _remove_venv() -> None:
    try:
        shutil.rmtree(VENV)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise BootstrapError(
            f"无法删除损坏的虚拟环境 {VENV}（{error}）。请关闭正在使用它的程序，"
            "或手动删除这个文件夹后重试。"
        ) from error


def ensure_venv() -> None:
    if _venv_works():
        return
    python = venv_python()
    if python.exists():
        # e.g. made by a tool that skips pip; ensurepip repairs it without losing anything.
        repair = subprocess.run(
            [str(python), "-m", "ensurepip", "--upgrade"], capture_output=True, check=False
        )
        if repair.returncode == 0 and _venv_works():
            return
        say(f"{VENV} 不完整或已损坏，正在重新创建…")
    _remove_venv()
    say(f"正在创建虚拟环境 {VENV} …")
    result = _create_venv()
    if result.returncode != 0 and "ensurepip" in (result.stdout + result.stderr):
        # Debian/Ubuntu ship python3 without ensurepip; the venv left behind has no pip.
        _remove_venv()
        package = _venv_package()
        if IS_LINUX and _can_use_apt():
            _apt_update_once()
            package = _venv_package()
            if not apt_install([(package,)], f" Python 虚拟环境模块 {package}"):
                raise BootstrapError(f"安装 {package} 失败，无法创建虚拟环境。")
            result = _create_venv()
        else:
            raise BootstrapError(
                "这个 Python 缺少 venv/ensurepip 模块，无法创建虚拟环境。请运行：\n"
                f"    sudo apt-get install -y {package}\n"
                "然后重新运行本脚本。"
            )
    if result.returncode != 0 or not _venv_works():
        _remove_venv()
        detail = (result.stdout + result.stderr).strip()
        raise BootstrapError(f"创建虚拟环境失败（{sys.executable} -m venv）：\n{detail}")
    say("正在升级 pip …")
    try:
        _pip("install", "--upgrade", "pip", what="升级 pip")
    except BootstrapError:
        # The bundled pip can install the project too; only the real install must succeed.
        say("升级 pip 失败，继续使用自带的 pip。")


def _pip(*args: str, what: str) -> None:
    cmd = [str(venv_python()), "-m", "pip", "--disable-pip-version-check", *args]
    result = subprocess.run(cmd, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise BootstrapError(
            f"{what}失败（pip 退出码 {result.returncode}），请查看上面 pip 的输出。\n"
            "常见原因：无法连接 PyPI（检查网络或代理，可设置 PIP_INDEX_URL 使用镜像）。"
        )


def _wanted_stamp() -> str:
    """Changes whenever what pip would install changes, so unchanged runs skip pip."""
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", CONSTRAINTS):
        digest.update(path.name.encode() + b"\0")
        if path.exists():
            digest.update(path.read_bytes())
    digest.update(b".[dev]")
    return digest.hexdigest()


def ensure_installed() -> None:
    ensure_venv()
    wanted = _wanted_stamp()
    if STAMP.exists() and STAMP.read_text(encoding="utf-8").strip() == wanted:
        say("依赖未变化，跳过安装。")
        return
    say("正在安装法治台账及其依赖（pip install -e .[dev]，首次约需几分钟）…")
    STAMP.unlink(missing_ok=True)
    args = ["install", "-e", ".[dev]"]
    if CONSTRAINTS.exists():
        args += ["-c", str(CONSTRAINTS)]
    _pip(*args, what="安装依赖")
    STAMP.write_text(wanted + "\n", encoding="utf-8")
    say("依赖安装完成。")


# ---------------------------------------------------------------- commands


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_run(args: list[str]) -> int:
    headless = IS_LINUX and not _has_display()
    check_system(xcb=not headless, tools=False)
    ensure_installed()
    env = dict(os.environ)
    cmd = [str(venv_python()), "-m", "fazhi_desktop", *args]
    own_screenshot = headless and "--screenshot" not in args
    if headless:
        say("没有检测到图形界面（DISPLAY 和 WAYLAND_DISPLAY 都未设置），无法打开窗口。")
        say("改为在后台（QT_QPA_PLATFORM=offscreen）启动程序并保存一张截图。")
        env["QT_QPA_PLATFORM"] = "offscreen"
    if own_screenshot:
        SCREENSHOT.unlink(missing_ok=True)  # so a stale picture is never reported as new
        cmd += ["--screenshot", str(SCREENSHOT)]
    if not headless:
        say("正在启动法治台账…")
    code = subprocess.run(cmd, env=env, check=False).returncode
    if code != 0:
        say(f"程序异常退出，退出码 {code}。")
    elif own_screenshot and SCREENSHOT.exists():
        say(f"截图已保存：{SCREENSHOT}（用图片查看器打开即可看到程序界面）")
    elif own_screenshot:
        say(f"程序正常退出，但没有生成截图 {SCREENSHOT}。")
    return code


def cmd_test(args: list[str]) -> int:
    check_system(xcb=True, tools=True)
    ensure_installed()
    env = dict(os.environ)
    # Always offscreen: a desktop's own QT_QPA_PLATFORM would pop windows and change results.
    env["QT_QPA_PLATFORM"] = "offscreen"
    say("正在运行测试（pytest）…")
    cmd = [str(venv_python()), "-m", "pytest", *args]
    code = subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode
    if code == 5:
        say("pytest 没有收集到任何测试（退出码 5），按失败处理。")
    elif code != 0:
        say(f"测试失败（pytest 退出码 {code}）。")
    return code


def main(argv: list[str]) -> int:
    try:
        # A non-UTF-8 console (Windows code page, LANG=C pipes) must not crash on Chinese text.
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
        sys.stderr.reconfigure(errors="replace")  # type: ignore[union-attr]
    except AttributeError:
        pass
    if not argv or argv[0] not in ("run", "test"):
        print(USAGE)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    command, rest = argv[0], argv[1:]
    try:
        return cmd_run(rest) if command == "run" else cmd_test(rest)
    except BootstrapError as error:
        say(f"错误：{error}")
        return 1
    except KeyboardInterrupt:
        say("已中断。")
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
