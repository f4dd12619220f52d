"""The Debian package (installer/build-linux.py): contents, size budget, and a real install.

The package is built once per module from this checkout with the test interpreter (which has
PyInstaller). One test installs it with ``apt-get install ./….deb`` into a fresh Debian 12 minbase
root (installer/fresh_root_check.py; not even python3 there: the package brings everything),
runs the installed programs with no network at all, removes the package and checks that the
user's data is still there. Needs root and Debian's apt (CI has both).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from conftest import TODAY, require_tool
from PySide6.QtGui import QImage
from test_fresh_root import require_root_and_apt

import fazhi_desktop

ROOT = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = ROOT / "installer" / "build-linux.py"
VERSION = fazhi_desktop.__version__
# Size budget (MB): the .deb's is issue 18's target, 70 MB; the bundle's is today's figure plus a
# little room, so growth fails here and lists what grew. Lower them as the bundle shrinks.
# Measured 2026-11-30 (shared libraries stripped in the .deb, modules as shared .pyc files
# instead of a PYZ inside each program, no GTK stack): .deb 62.2 MB (80.1 before), bundle 266 MB.
DEB_BUDGET_MB = 70
# 单位模式 (issue 20) added psycopg's own libpq and OpenSSL: +9.2 MB in the bundle.
BUNDLE_BUDGET_MB = 285


def load_script(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem.replace("-", "_"), path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Built:
    deb: Path
    bundle: Path
    output: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    require_tool("dpkg-deb")
    base = tmp_path_factory.mktemp("deb")
    proc = subprocess.run(
        [
            *(sys.executable, str(BUILD_SCRIPT), "--python", sys.executable),
            *("--build", str(base / "build"), "--dist", str(base / "dist")),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=3600,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    deb = Path(proc.stdout.strip().splitlines()[-1])  # the path is the last line printed
    bundle = base / "build" / "linux-dist" / "fazhi-desktop"
    return Built(deb, bundle, proc.stdout)


def members(deb: Path, tmp_path: Path) -> tuple[dict[str, tarfile.TarInfo], str]:
    """The package's files, and the text of its menu entry."""
    tar = tmp_path / "data.tar"
    with tar.open("wb") as out:
        subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=out, check=True)
    with tarfile.open(tar) as archive:
        found = {m.name.removeprefix("./"): m for m in archive.getmembers()}
        entry = archive.extractfile("./usr/share/applications/fazhi-desktop.desktop")
        assert entry is not None
        return found, entry.read().decode("utf-8")


@pytest.mark.slow
def test_deb_holds_the_programs_menu_entry_icon_and_dependencies(
    built: Built, tmp_path: Path
) -> None:
    bootstrap = load_script(ROOT / "bootstrap.py")
    assert built.deb.name == f"fazhi-desktop_{VERSION}_amd64.deb"
    assert built.deb.parent.name == "dist"

    def field(name: str) -> str:
        return subprocess.run(
            ["dpkg-deb", "-f", str(built.deb), name], capture_output=True, text=True, check=True
        ).stdout.strip()

    assert (field("Package"), field("Version"), field("Architecture")) == (
        "fazhi-desktop",
        VERSION,
        "amd64",
    )
    depends = [d.strip() for d in field("Depends").split(",")]
    for groups in (bootstrap.QT_CORE_LIBS, bootstrap.QT_XCB_LIBS):
        for group in groups.values():
            assert " | ".join(group) in depends, group
    assert re.fullmatch(r"libc6 \(>= 2\.\d+\)", depends[0])

    files, entry = members(built.deb, tmp_path)
    for program in ("fazhi", "fazhi-desktop"):
        assert files[f"opt/fazhi-desktop/{program}"].mode & 0o111
        link = files[f"usr/bin/{program}"]
        assert link.issym() and link.linkname == f"/opt/fazhi-desktop/{program}"
    assert all(m.uname == "root" and m.gname == "root" for m in files.values() if m.name != "")
    icon = files["usr/share/icons/hicolor/256x256/apps/fazhi-desktop.png"]
    assert icon.size == (ROOT / "resources" / "icons" / "fazhi.png").stat().st_size
    for line in ("Name=法治台账", "Name[zh_CN]=法治台账", "Icon=fazhi-desktop"):
        assert line in entry.splitlines(), line
    assert "Exec=fazhi-desktop" in entry and "Categories=Office;" in entry


def largest_parts(bundle: Path, count: int = 10) -> list[tuple[int, str]]:
    """Sizes of the bundle's parts: each top folder or file under _internal/, and the programs."""
    sizes: dict[str, int] = {}
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            rel = path.relative_to(bundle).parts
            part = "/".join(rel[:2]) if rel[0] == "_internal" else rel[0]
            sizes[part] = sizes.get(part, 0) + path.stat().st_size
    return sorted(((size, part) for part, size in sizes.items()), reverse=True)[:count]


@pytest.mark.slow
def test_package_stays_within_its_size_budget(built: Built) -> None:
    deb_mb = built.deb.stat().st_size / 2**20
    files = [p for p in built.bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    bundle_mb = sum(p.stat().st_size for p in files) / 2**20
    table = "\n".join(
        f"  {size / 2**20:7.1f} MB  {part}" for size, part in largest_parts(built.bundle)
    )
    report = (
        f".deb {deb_mb:.1f} MB (budget {DEB_BUDGET_MB}); "
        f"bundle {bundle_mb:.1f} MB (budget {BUNDLE_BUDGET_MB}). Largest parts:\n{table}"
    )
    print(report)
    assert deb_mb <= DEB_BUDGET_MB and bundle_mb <= BUNDLE_BUDGET_MB, report


@pytest.mark.slow
def test_deb_installs_runs_offline_and_leaves_user_data_on_removal(
    built: Built, tmp_path: Path
) -> None:
    require_root_and_apt()
    pdftotext = require_tool("pdftotext")
    fresh = load_script(ROOT / "installer" / "fresh_root_check.py")
    timings = fresh.Timings("deb on bookworm")
    with fresh.fresh_root("bookworm", timings, packages=()) as root:
        root.file("/tmp").joinpath(built.deb.name).write_bytes(built.deb.read_bytes())
        with timings.phase("apt-get install ./fazhi-desktop.deb"):
            root.run(f"apt-get install -y ./{built.deb.name}", "apt-get install", cwd="/tmp")
        assert root.file("/usr/share/applications/fazhi-desktop.desktop").is_file()
        with timings.phase("installed programs, offline"):
            day = f"--today {TODAY.isoformat()}"
            root.run(f"fazhi {day} demo", "fazhi demo", offline=True)
            root.run(f"fazhi {day} export-pdf -o 台账.pdf", "fazhi export-pdf", offline=True)
            root.run(
                "fazhi-desktop --screenshot out.png",
                "fazhi-desktop --screenshot",
                offline=True,
                QT_QPA_PLATFORM="offscreen",
            )
        pdf = tmp_path / "台账.pdf"
        pdf.write_bytes(root.file("/root/台账.pdf").read_bytes())
        text = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "法治政府建设" in re.sub(r"\s+", "", text)
        image = QImage(str(root.file("/root/out.png")))
        assert (image.width(), image.height()) == (1366, 768)

        data = root.file("/root/.local/share/fazhi-desktop/fazhi.sqlite3")
        before = data.read_bytes()
        with timings.phase("apt-get remove"):
            root.run("apt-get remove -y fazhi-desktop", "apt-get remove")
        assert not root.file("/opt/fazhi-desktop").exists()
        assert not root.file("/usr/bin/fazhi").exists()
        assert not root.file("/usr/share/applications/fazhi-desktop.desktop").exists()
        assert data.read_bytes() == before  # the user's ledger is untouched
    print(timings.report())
