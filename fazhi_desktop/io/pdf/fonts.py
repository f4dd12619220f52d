"""Which TrueType fonts the PDF uses, and registering them with reportlab.

On Windows the office PC's own 黑体 / 仿宋 / 宋体 give the familiar look of an official document.
Elsewhere (or when they are missing) the fonts bundled in ``resources/fonts`` are used, so the
PDF looks the same on any machine. reportlab embeds TrueType outlines only (not CFF ``.otf``);
every font is embedded as a subset with a ToUnicode map, so the text stays extractable.

A face that lacks a character (rare 生僻字 in 宋体, Latin digits in some CJK-only fonts) is
patched per character from the fallback face, so no glyph turns into an empty box.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from fazhi_desktop.errors import FazhiError
from fazhi_desktop.paths import resource_path

ROLES = ("title", "header", "body")

BUNDLED_HEI = "wqy-microhei.ttc"  # 文泉驿微米黑: 黑体-style, wide coverage incl. Latin
BUNDLED_SONG = "uming.ttc"  # AR PL UMing CN: 宋体/明体-style body text
# Files of resources/fonts the Windows bundle leaves out (installer/fazhi-desktop.spec): every
# Windows PC has 宋体 (simsun.ttc), mostly 仿宋 too, so the 21 MB 宋体-style face is dead weight
# there. Should both be missing, the body falls back to the bundled 黑体-style face, which is
# always shipped: it is also the per-character fallback and the window's font.
NOT_BUNDLED_ON_WINDOWS = (BUNDLED_SONG, "LICENSE-arphic-uming.txt")

# File names in C:\Windows\Fonts, best first; "name#N" picks face N of a .ttc collection.
WINDOWS_CANDIDATES: dict[str, tuple[str, ...]] = {
    # 方正小标宋 is the 公文 title face; installed on many government PCs, never by Windows.
    "title": ("FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXBSK.TTF", "simhei.ttf"),
    "header": ("simhei.ttf",),
    "body": ("simfang.ttf", "FS_GB2312.ttf", "仿宋_GB2312.ttf", "simsun.ttc#0"),
}


@dataclass(frozen=True, slots=True)
class FontFile:
    """One face of a TrueType file (``subfont`` picks the face inside a ``.ttc``)."""

    path: Path
    subfont: int = 0

    def __str__(self) -> str:
        if self.path.suffix.lower() == ".ttc":
            return f"{self.path}#{self.subfont}"
        return str(self.path)


@dataclass(frozen=True, slots=True)
class FontChoice:
    """The faces used for the title, the table header and the body text.

    ``fallback`` supplies any character the chosen face lacks; ``None`` disables patching.
    """

    title: FontFile
    header: FontFile
    body: FontFile
    fallback: FontFile | None = None

    def describe(self) -> dict[str, str]:
        out = {role: str(getattr(self, role)) for role in ROLES}
        out["fallback"] = str(self.fallback) if self.fallback else ""
        return out


def parse_font_spec(spec: str) -> FontFile:
    """``"C:/x/simsun.ttc#1"`` → face 1 of that file; a plain path means face 0."""
    path, sep, index = spec.rpartition("#")
    if sep and index.isdigit():
        return FontFile(Path(path), int(index))
    return FontFile(Path(spec))


def windows_font_dirs() -> list[Path]:
    """System and per-user font folders of Windows; empty elsewhere."""
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _first_existing(names: Iterable[str], dirs: Sequence[Path]) -> FontFile | None:
    for name in names:
        spec = parse_font_spec(name)
        for folder in dirs:
            candidate = folder / spec.path
            if candidate.is_file():
                return FontFile(candidate, spec.subfont)
    return None


def bundled_fonts() -> tuple[FontFile, FontFile]:
    """(黑体-style, 宋体-style) bundled faces; the 宋体 one falls back to the 黑体 one."""
    hei = FontFile(resource_path("fonts", BUNDLED_HEI))
    song_path = resource_path("fonts", BUNDLED_SONG)
    song = FontFile(song_path) if song_path.is_file() else hei
    return hei, song


def find_fonts(preferred: dict[str, str] | None = None) -> FontChoice:
    """The faces for title / header / body: ``preferred`` paths first, then Windows, then bundled.

    ``preferred`` maps a role (``"title"``, ``"header"``, ``"body"``) to a font file path,
    optionally ``"path.ttc#N"`` for face N of a collection.
    """
    return choose_fonts(preferred, windows_font_dirs())


def choose_fonts(preferred: dict[str, str] | None, system_dirs: Sequence[Path]) -> FontChoice:
    """:func:`find_fonts` with the system font folders given (tests pass a fake one)."""
    preferred = preferred or {}
    unknown = sorted(set(preferred) - set(ROLES))
    if unknown:
        raise FazhiError(
            f"字体设置中的“{'、'.join(unknown)}”无法识别：只能设置 title（标题）、header（表头）、"
            "body（正文）三种字体，请修改设置。"
        )
    hei, song = bundled_fonts()
    bundled = {"title": hei, "header": hei, "body": song}
    chosen: dict[str, FontFile] = {}
    for role in ROLES:
        if preferred.get(role):
            font = parse_font_spec(preferred[role])
            if not font.path.is_file():
                raise FazhiError(
                    f"找不到设置的{_ROLE_NAME[role]}字体文件“{font.path}”。"
                    "请在设置中重新选择字体，或清空该项以使用默认字体。"
                )
            chosen[role] = font
            continue
        found = _first_existing(WINDOWS_CANDIDATES[role], system_dirs)
        chosen[role] = found or bundled[role]
    if not hei.path.is_file():
        raise FazhiError(
            f"程序自带的字体文件“{hei.path}”缺失，无法生成PDF。请重新安装本程序。"
        )
    return FontChoice(chosen["title"], chosen["header"], chosen["body"], fallback=hei)


_ROLE_NAME = {"title": "标题", "header": "表头", "body": "正文"}
_REGISTERED: dict[FontFile, str] = {}


def register(font: FontFile) -> str:
    """Register the face with reportlab once per process; returns its reportlab font name."""
    name = _REGISTERED.get(font)
    if name is not None:
        return name
    digest = hashlib.sha1(str(font.path.resolve()).encode("utf-8")).hexdigest()[:10]
    name = f"Fz{digest}-{font.subfont}"
    try:
        ttf = TTFont(name, str(font.path), subfontIndex=font.subfont)
    except (TTFError, OSError, ValueError, IndexError) as exc:
        raise FazhiError(
            f"字体文件“{font.path}”无法用于PDF（{exc}）。PDF只能嵌入TrueType字体"
            "（.ttf/.ttc），请在设置中换用其他字体。"
        ) from exc
    pdfmetrics.registerFont(ttf)
    _REGISTERED[font] = name
    return name


_COVERAGE: dict[str, frozenset[str]] = {}


def coverage(name: str) -> frozenset[str]:
    """The characters the registered face has a glyph for."""
    cached = _COVERAGE.get(name)
    if cached is None:
        face = pdfmetrics.getFont(name).face
        cached = frozenset(chr(code) for code in face.charToGlyph)
        _COVERAGE[name] = cached
    return cached


class Face:
    """A registered font at one size with per-character fallback, measured with a cache.

    Indexing ``face.widths[unit]`` gives the advance width in points of a character or run.
    """

    def __init__(self, name: str, size: float, fallback: str | None) -> None:
        self.name = name
        self.size = size
        self.fallback = fallback if fallback and fallback != name else None
        self.covered = coverage(name)
        self._fallback_covered = coverage(self.fallback) if self.fallback else frozenset()
        self.widths = _WidthCache(self)

    def font_for(self, char: str) -> str:
        if self.fallback and char not in self.covered and char in self._fallback_covered:
            return self.fallback
        return self.name

    def runs(self, text: str) -> list[tuple[str, str]]:
        """Split ``text`` into (font name, text) runs so each character has a glyph."""
        if not self.fallback or self.covered.issuperset(text):
            return [(self.name, text)]
        runs: list[tuple[str, str]] = []
        for char in text:
            font = self.font_for(char)
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + char)
            else:
                runs.append((font, char))
        return runs


class _WidthCache(dict[str, float]):
    def __init__(self, face: Face) -> None:
        super().__init__()
        self._face = face

    def __missing__(self, unit: str) -> float:
        face = self._face
        width = sum(
            pdfmetrics.stringWidth(text, font, face.size) for font, text in face.runs(unit)
        )
        self[unit] = width
        return width
