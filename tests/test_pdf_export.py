"""PDF export, checked with independent tools (poppler's pdffonts/pdftotext/pdfinfo/pdftoppm, qpdf).

Tool-dependent tests skip when the tool is missing, except on CI (``CI`` set), where they fail.
Texts are whitespace-normalised before comparing: wrapping splits them over lines.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
import re
import subprocess
from pathlib import Path

import pytest
from conftest import require_tool

from fazhi_desktop.errors import FazhiError
from fazhi_desktop.io.pdf.cjk_wrap import NO_LINE_END, NO_LINE_START, wrap_phrases, wrap_text
from fazhi_desktop.io.pdf.fonts import Face, FontChoice, FontFile, choose_fonts, coverage, register
from fazhi_desktop.io.pdf.layout import COLUMNS, MARGIN_BOTTOM, MARGIN_X, PAGE_HEIGHT
from fazhi_desktop.io.pdf.ledger_writer import export_pdf, find_fonts
from fazhi_desktop.models.records import LedgerRecord, TaskRecord
from fazhi_desktop.models.status import COLOUR_FILL, Colour, Status
from fazhi_desktop.paths import resource_path

SENTENCES = [
    "推进执法重心下移，把机构改革、政府职能转变调整出来的人员编制重点用于充实基层执法力量。",
    "完善市县两级政府行政执法管理，加强统一领导和协调，提升基层行政执法能力和水平。",
    "健全政府定价制度，持续缩减政府定价种类和项目，实行政府定价项目目录管理。",
    "已召开专题会议3次（6月5日、6月18日、6月29日），印发《工作方案》并报送市司法局。",
    "全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度（“三项制度”）！",
    "电子版发送至邮箱 fazhi2020@example.com；联系电话 0393-6666209，完成率 86.7%。",
    "对照《河南省法治政府建设实施方案（2016—2020）》逐项梳理……形成问题清单；",
]
STATUSES = [
    (Status.NOT_STARTED, Colour.NONE),
    (Status.IN_PROGRESS, Colour.DUE_SOON),
    (Status.DONE, Colour.DONE),
    (Status.OVERDUE, Colour.OVERDUE),
    (Status.DONE_LATE, Colour.DONE_LATE),
]
DAY = dt.date(2020, 6, 24)


_tool = require_tool


def _run(*args: str) -> str:
    result = subprocess.run(
        [_tool(args[0]), *args[1:]], capture_output=True, text=True, check=True, timeout=300
    )
    return result.stdout


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def make_task(index: int, **changes: object) -> TaskRecord:
    rng = random.Random(index)
    status, colour = STATUSES[index % len(STATUSES)]
    task = TaskRecord(
        id=index,
        position=index,
        seq=str(index),
        title=f"第{index}项任务：" + rng.choice(SENTENCES)[:30],
        deadline_text="10.31" if index % 2 else "",
        deadline=dt.date(2020, 10, 31),
        progress="".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 4))),
        progress_period="2020-06",
        department=rng.choice(["政法科", "办公室、机关总支", "机关总支、政法科"]),
        partners="",
        owner=rng.choice(["艾延坤", "王群才 马红霞"]),
        note="",
        done=status in (Status.DONE, Status.DONE_LATE),
        done_on=None,
        status=status,
        colour=colour,
    )
    return dataclasses.replace(task, **changes)  # type: ignore[arg-type]


def make_ledger(tasks: list[TaskRecord], **changes: object) -> LedgerRecord:
    ledger = LedgerRecord(
        id=1,
        title="落实《濮阳市人民政府2020年法治政府建设冲刺方案》工作台账",
        year=2020,
        unit="濮阳市科学技术局",
        issuer="",
        reporter="张三",
        phone="0393-6666209",
        mailbox="",
        notes="说明：1.各责任单位每月30日前填报进展情况。\n\n2.主要任务具体内容请参照附件。",
        generated_on=DAY,
        tasks=tuple(tasks),
    )
    return dataclasses.replace(ledger, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def fonts() -> FontChoice:
    return find_fonts()


def _pages(pdf: Path) -> int:
    match = re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M)
    assert match, "pdfinfo printed no page count"
    return int(match.group(1))


def _column_text(pdf: Path, key: str, pages: int) -> list[str]:
    """Each page's text inside one table column, below its header label."""
    left = MARGIN_X
    for column in COLUMNS:
        if column.key == key:
            break
        left += column.width
    out = []
    for page in range(1, pages + 1):
        top = _header_top(pdf, page, column.label)
        text = _run(
            "pdftotext", "-f", str(page), "-l", str(page),
            "-x", str(int(left) + 2), "-y", str(int(top)), "-W", str(int(column.width) - 4),
            "-H", str(int(PAGE_HEIGHT - MARGIN_BOTTOM - top)), str(pdf), "-",
        )
        assert column.label in text, f"page {page}: header {column.label} missing"
        out.append(text.split(column.label, 1)[1])
    return out


def _header_top(pdf: Path, page: int, label: str) -> float:
    """Top of the header label on the page (from the top edge), as pdftotext -bbox sees it."""
    html = _run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-")
    match = re.search(rf'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>{label}</word>', html)
    assert match, f"page {page}: no header {label}"
    return float(match.group(1)) - 1


# ------------------------------------------------------------------ whole-document checks


def sample_tasks() -> list[TaskRecord]:
    tasks = [make_task(i) for i in range(1, 61)]
    tasks[4] = dataclasses.replace(tasks[4], note="=SUM(A1)", partners="办公室")
    return tasks


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, fonts: FontChoice) -> tuple[Path, int]:
    pdf = tmp_path_factory.mktemp("pdf") / "台账.pdf"
    count = export_pdf(make_ledger(sample_tasks()), pdf, signature_line=True, fonts=fonts)
    return pdf, count


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory, fonts: FontChoice) -> tuple[Path, int]:
    """The sample without 说明 and signature, whose full-width lines would cross the columns."""
    pdf = tmp_path_factory.mktemp("pdf") / "bare.pdf"
    count = export_pdf(make_ledger(sample_tasks(), notes=""), pdf, fonts=fonts)
    return pdf, count


def test_every_font_embedded_and_no_helvetica(sample: tuple[Path, int]) -> None:
    listing = _run("pdffonts", str(sample[0])).splitlines()
    rows = [line.split() for line in listing[2:] if line.strip()]
    assert rows, "pdffonts lists no font at all"
    for row in rows:
        emb, sub, uni = row[-5], row[-4], row[-3]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), f"not embedded/unicode: {row}"
    assert "helvetica" not in "\n".join(listing).lower()


def test_qpdf_check_passes(sample: tuple[Path, int]) -> None:
    result = subprocess.run(
        [_tool("qpdf"), "--check", str(sample[0])], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_page_size_is_a4_landscape_and_count_matches(sample: tuple[Path, int]) -> None:
    pdf, count = sample
    info = _run("pdfinfo", str(pdf))
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert match, info
    assert float(match.group(1)) == pytest.approx(841.89, abs=0.01)
    assert float(match.group(2)) == pytest.approx(595.28, abs=0.01)
    assert _pages(pdf) == count > 1


def test_every_task_text_comes_back_in_its_column(bare: tuple[Path, int]) -> None:
    pdf, count = bare
    tasks = sample_tasks()
    titles = _squash("".join(_column_text(pdf, "title", count)))
    progress = _squash("".join(_column_text(pdf, "progress", count)))
    # Split rows leave nothing in these columns on the continuation page, so the column read
    # top to bottom, page after page, is exactly the tasks' texts in order.
    assert titles == _squash("".join(t.title for t in tasks))
    assert progress == _squash("".join(t.progress for t in tasks))


def test_header_info_notes_footer_and_signature(sample: tuple[Path, int]) -> None:
    pdf, count = sample
    first = _squash(_run("pdftotext", "-f", "1", "-l", "1", str(pdf), "-"))
    assert _squash(make_ledger([]).title) in first
    assert "填报单位：濮阳市科学技术局" in first
    assert "填报时间：2020年6月24日" in first
    assert "填报人：张三" in first and "联系电话：0393-6666209" in first
    assert f"第1页共{count}页" in first
    for page in range(1, count + 1):
        text = _squash(_run("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"))
        for column in COLUMNS:
            assert column.label in text, f"page {page} lacks header {column.label}"
        assert f"第{page}页共{count}页" in text
    last = _squash(_run("pdftotext", "-f", str(count), "-l", str(count), str(pdf), "-"))
    for line in make_ledger([]).notes_lines():
        assert _squash(line) in last
    for label in ("审核人：", "填报人：", "日期："):
        assert label in last


def test_status_words_formula_text_and_partners(sample: tuple[Path, int]) -> None:
    pdf, _ = sample
    text = _squash(_run("pdftotext", str(pdf), "-"))
    for status, _ in STATUSES:
        assert status.value in text
    assert "（临期）" in text
    assert "=SUM(A1)" in text
    assert "配合：办公室" in text


def test_status_fills_are_rendered(sample: tuple[Path, int], tmp_path: Path) -> None:
    from PIL import Image

    pdf, _ = sample
    _run("pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "3", str(pdf), str(tmp_path / "p"))
    pixels: set[tuple[int, ...]] = set()
    for png in sorted(tmp_path.glob("p-*.png")):
        with Image.open(png) as image:
            raw = image.convert("RGB").tobytes()
        pixels.update(tuple(raw[i : i + 3]) for i in range(0, len(raw), 3))
    for colour in (Colour.OVERDUE, Colour.DONE):
        fill = COLOUR_FILL[colour]
        assert fill is not None
        rgb = tuple(int(fill[i : i + 2], 16) for i in (1, 3, 5))
        assert any(all(abs(a - b) <= 3 for a, b in zip(p, rgb, strict=True)) for p in pixels), (
            f"no {colour} fill rendered"
        )


def test_deadline_date_is_formatted_when_text_is_empty(tmp_path: Path, fonts: FontChoice) -> None:
    task = make_task(2, deadline_text="", deadline=dt.date(2020, 9, 5))
    pdf = tmp_path / "d.pdf"
    count = export_pdf(make_ledger([task], notes=""), pdf, fonts=fonts)
    assert _squash("".join(_column_text(pdf, "deadline", count))) == "2020年9月5日"


def test_page_count_grows_with_text_length(tmp_path: Path, fonts: FontChoice) -> None:
    counts = []
    for repeat in (1, 4, 12):
        tasks = [
            make_task(i, progress="".join(SENTENCES[: 1 + i % 3]) * repeat) for i in range(1, 31)
        ]
        pdf = tmp_path / f"r{repeat}.pdf"
        count = export_pdf(make_ledger(tasks), pdf, fonts=fonts)
        assert _pages(pdf) == count
        counts.append(count)
    assert counts[0] < counts[1] < counts[2]


def test_row_taller_than_a_page_is_split_and_complete(tmp_path: Path, fonts: FontChoice) -> None:
    progress = "".join(SENTENCES) * 18  # several pages of one cell
    tasks = [make_task(1), make_task(2, progress=progress), make_task(3)]
    pdf = tmp_path / "long.pdf"
    count = export_pdf(make_ledger(tasks, notes=""), pdf, fonts=fonts)
    assert count >= 3
    column = _column_text(pdf, "progress", count)
    assert _squash("".join(column)) == _squash("".join(t.progress for t in tasks))
    seq = _column_text(pdf, "seq", count)
    assert any(_squash(page).startswith("2续") for page in seq[1:]), "no 续 marker on next page"
    assert subprocess.run([_tool("qpdf"), "--check", str(pdf)], capture_output=True).returncode == 0


def test_no_closing_punctuation_starts_a_line_in_the_pdf(
    tmp_path: Path, fonts: FontChoice
) -> None:
    tasks = [make_task(i, progress="".join(SENTENCES[i % 7 :] + SENTENCES[: i % 7]) * 2)
             for i in range(1, 15)]
    pdf = tmp_path / "k.pdf"
    count = export_pdf(make_ledger(tasks, notes=""), pdf, fonts=fonts)
    lines = [ln.strip() for page in _column_text(pdf, "progress", count) for ln in page.split("\n")]
    lines = [ln for ln in lines if ln]
    assert len(lines) > 50
    for line in lines:
        assert line[0] not in NO_LINE_START, f"line starts with closing punctuation: {line}"
        assert line[-1] not in NO_LINE_END, f"line ends with opening punctuation: {line}"


def test_empty_ledger_and_no_signature(tmp_path: Path, fonts: FontChoice) -> None:
    pdf = tmp_path / "empty.pdf"
    assert export_pdf(make_ledger([], notes=""), pdf, fonts=fonts) == 1
    text = _squash(_run("pdftotext", str(pdf), "-"))
    assert "本台账暂无任务" in text and "进展情况" in text
    assert "审核人" not in text and "说明" not in text


def test_long_info_line_keeps_labels_whole(tmp_path: Path, fonts: FontChoice) -> None:
    unit = "濮阳市科学技术局（濮阳市外国专家局、濮阳市知识产权局、濮阳市地震局）"
    pdf = tmp_path / "info.pdf"
    export_pdf(make_ledger([make_task(1)], unit=unit, period="2020-06"), pdf, fonts=fonts)
    lines = [_squash(line) for line in _run("pdftotext", "-layout", str(pdf), "-").splitlines()]
    for item in (f"填报单位：{unit}", "填报人：张三", "联系电话：0393-6666209",
                 "报送期间：2020年6月", "填报时间：2020年6月24日"):
        assert any(item in line for line in lines), item


def test_sections_become_banner_rows(tmp_path: Path, fonts: FontChoice) -> None:
    tasks = [
        make_task(1, section="一、依法全面履行政府职能"),
        make_task(2, section="一、依法全面履行政府职能"),
        make_task(3, section="二、完善依法行政制度体系"),
    ]
    pdf = tmp_path / "s.pdf"
    export_pdf(make_ledger(tasks), pdf, fonts=fonts)
    text = _squash(_run("pdftotext", "-raw", str(pdf), "-"))
    first, second = text.find("一、依法全面履行政府职能"), text.find("二、完善依法行政制度体系")
    assert 0 <= first < text.find("第1项任务") < text.find("第2项任务") < second
    assert text.count("一、依法全面履行政府职能") == 1


def test_rare_character_taken_from_fallback_face(tmp_path: Path, fonts: FontChoice) -> None:
    body = register(fonts.body)
    assert fonts.fallback is not None
    fallback = register(fonts.fallback)
    missing = sorted(
        c for c in coverage(fallback) - coverage(body) if "\u4e00" <= c <= "\u9fff"
    )
    if not missing:
        pytest.skip("the body face covers every CJK character of the fallback face")
    rare = "".join(missing[:3])
    pdf = tmp_path / "rare.pdf"
    ledger = make_ledger([make_task(1, progress=f"生僻字{rare}照常显示")], notes="")
    count = export_pdf(ledger, pdf, fonts=fonts)
    assert _squash("".join(_column_text(pdf, "progress", count))) == f"生僻字{rare}照常显示"


def test_missing_target_folder_is_a_user_error(tmp_path: Path, fonts: FontChoice) -> None:
    with pytest.raises(FazhiError, match="文件夹"):
        export_pdf(make_ledger([make_task(1)]), tmp_path / "nope" / "x.pdf", fonts=fonts)


def test_render_first_page(sample: tuple[Path, int], tmp_path: Path) -> None:
    from PIL import Image

    _run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(sample[0]), str(tmp_path / "p"))
    (png,) = tmp_path.glob("p-*.png")
    with Image.open(png) as image:
        width, height = image.size
        grey = image.convert("L")
    assert width > height  # landscape
    # Something dark is drawn in the title area, and the page is mostly white paper.
    assert min(grey.crop((0, 0, width, height // 10)).tobytes()) < 100
    assert sum(grey.tobytes()) / (width * height) > 200


# ------------------------------------------------------------------ fonts


def test_bundled_fonts_are_used_without_windows_fonts() -> None:
    choice = choose_fonts(None, [])
    assert choice.title.path == resource_path("fonts", "wqy-microhei.ttc")
    assert choice.body.path.parent == resource_path("fonts")
    assert choice.fallback == choice.title


def test_windows_fonts_preferred_when_present(tmp_path: Path) -> None:
    hei = resource_path("fonts", "wqy-microhei.ttc")
    (tmp_path / "simhei.ttf").symlink_to(hei)
    (tmp_path / "simsun.ttc").symlink_to(hei)
    choice = choose_fonts(None, [tmp_path])
    assert choice.title == choice.header == FontFile(tmp_path / "simhei.ttf")
    assert choice.body == FontFile(tmp_path / "simsun.ttc", 0)
    (tmp_path / "simfang.ttf").symlink_to(hei)
    assert choose_fonts(None, [tmp_path]).body == FontFile(tmp_path / "simfang.ttf")


def test_windows_bundle_without_the_song_face_falls_back_to_the_bundled_hei(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Windows bundle leaves 宋体-style uming.ttc out; a PC lacking 仿宋 and 宋体 still gets
    a PDF, its body in the bundled 黑体-style face."""
    from fazhi_desktop.io.pdf import fonts

    hei = resource_path("fonts", "wqy-microhei.ttc")
    bundled = tmp_path / "bundle" / "resources" / "fonts"
    bundled.mkdir(parents=True)
    for name in hei.parent.iterdir():  # what installer/fazhi-desktop.spec ships on Windows
        if name.name not in fonts.NOT_BUNDLED_ON_WINDOWS:
            (bundled / name.name).symlink_to(name)
    assert fonts.BUNDLED_SONG in fonts.NOT_BUNDLED_ON_WINDOWS and (bundled / hei.name).exists()
    monkeypatch.setattr(fonts, "resource_path", lambda *p: bundled.parent.joinpath(*p))
    system = tmp_path / "Windows" / "Fonts"
    system.mkdir(parents=True)
    (system / "simhei.ttf").symlink_to(hei)  # 黑体 only: neither 仿宋 nor 宋体 installed
    choice = choose_fonts(None, [system])
    assert choice.title == choice.header == FontFile(system / "simhei.ttf")
    assert choice.body == choice.fallback == FontFile(bundled / hei.name)

    pdf = tmp_path / "fallback.pdf"
    export_pdf(make_ledger([make_task(1)]), pdf, fonts=choice)
    assert make_task(1).title.replace(" ", "")[:10] in _squash(_run("pdftotext", str(pdf), "-"))
    embedded = [line for line in _run("pdffonts", str(pdf)).splitlines()[2:] if line.strip()]
    assert embedded and all(" yes " in line for line in embedded)


def test_preferred_font_settings(tmp_path: Path) -> None:
    hei = resource_path("fonts", "wqy-microhei.ttc")
    choice = choose_fonts({"body": f"{hei}#1"}, [])
    assert choice.body == FontFile(hei, 1)
    with pytest.raises(FazhiError, match="找不到"):
        choose_fonts({"title": str(tmp_path / "gone.ttf")}, [])
    with pytest.raises(FazhiError, match="无法识别"):
        choose_fonts({"footer": str(hei)}, [])
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font at all")
    with pytest.raises(FazhiError, match="TrueType"):
        register(FontFile(bad))


def test_export_with_a_second_face_of_a_collection(tmp_path: Path) -> None:
    hei = resource_path("fonts", "wqy-microhei.ttc")
    choice = FontChoice(FontFile(hei), FontFile(hei), FontFile(hei, 1), None)
    pdf = tmp_path / "mono.pdf"
    export_pdf(make_ledger([make_task(1)]), pdf, fonts=choice)
    listing = _run("pdffonts", str(pdf))
    assert "WenQuanYiMicroHeiMono" in listing
    assert make_task(1).title.replace(" ", "") in _squash(_run("pdftotext", str(pdf), "-"))


# ------------------------------------------------------------------ line breaking


@pytest.fixture(scope="module")
def body_face(fonts: FontChoice) -> Face:
    return Face(register(fonts.body), 9.5, register(fonts.fallback) if fonts.fallback else None)


def test_wrap_keeps_all_text_and_respects_width(body_face: Face) -> None:
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 5)))
        width = rng.uniform(50, 300)
        lines = wrap_text(text, width, body_face.widths)
        assert _squash("".join(lines)) == _squash(text)
        for line in lines:
            assert body_face.widths[line] <= width + 1e-6 or len(line) == 1
        for prev, line in itertools.pairwise(lines):
            # Only unavoidable: the line before is one Latin run (a phone number, an
            # address) that fills the cell and has nowhere to break.
            if line[0] in NO_LINE_START:
                assert re.fullmatch(r"[!-~]+", prev), (width, prev, line)
            assert prev[-1] not in NO_LINE_END, (width, lines)


def test_wrap_keeps_latin_words_and_numbers_together(body_face: Face) -> None:
    text = "联系电话 0393-6666209，邮箱 fazhi2020@example.com，完成率 86.7%，公式 =SUM(A1)。"
    words = ("0393-6666209", "fazhi2020@example.com", "86.7%", "=SUM(A1)")
    checked = 0
    for width in (80.0, 100.0, 130.0, 200.0, 400.0):
        lines = wrap_text(text, width, body_face.widths)
        for word in words:
            if body_face.widths[word] <= width:
                assert any(word in line for line in lines), (width, word, lines)
                checked += 1
    assert checked > len(words)


def test_wrap_cuts_a_word_wider_than_the_cell(body_face: Face) -> None:
    word = "https://example.com/" + "a" * 60
    lines = wrap_text(word, 60, body_face.widths)
    assert len(lines) > 1 and "".join(lines) == word
    assert all(body_face.widths[line] <= 60 + 1e-6 for line in lines)


def test_wrap_keeps_newlines_and_pairs(body_face: Face) -> None:
    assert wrap_text("第一行\r\n第二行\n\n第四行\t完", 500, body_face.widths) == [
        "第一行", "第二行", "", "第四行 完"
    ]
    assert wrap_text("   \n ", 100, body_face.widths) == []
    em = body_face.size
    for n in range(3, 9):
        lines = wrap_text("汉" * n + "——破折号……省略号", em * n + 1, body_face.widths)
        assert "".join(lines) == "汉" * n + "——破折号……省略号"
        assert "——" in "|".join(lines) and "……" in "|".join(lines), lines  # pairs stay
        assert not any(line.startswith("…") for line in lines), lines


def test_phrase_wrap_keeps_names_whole(body_face: Face) -> None:
    em = body_face.size
    assert wrap_phrases("王群才 马红霞", em * 5, body_face.widths) == ["王群才", "马红霞"]
    assert wrap_phrases("办公室、机关总支", em * 6, body_face.widths) == ["办公室、", "机关总支"]
    # A single name wider than the cell still breaks rather than overflowing.
    assert wrap_phrases("欧阳娜娜娜娜", em * 3 + 1, body_face.widths) == ["欧阳娜", "娜娜娜"]
