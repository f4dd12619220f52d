"""Deadline texts → dates, and the text normaliser they are matched through.

Expected dates are written out from the meaning of the Chinese text; month ends are computed
independently of the module (first day of next month minus one day), not with calendar.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import sys
from typing import Any

import opencc
import pytest

from fazhi_desktop import textnorm
from fazhi_desktop.models.deadlines import UNDATED_KEYWORDS, is_undated, parse_deadline
from fazhi_desktop.textnorm import normalize

D = dt.date
CN_MONTH = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


def month_end(year: int, month: int) -> dt.date:
    first_of_next = D(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


# --------------------------------------------------------------------------------------------
# Every form from the brief, with the ledger's year 2021


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # month.day and full dates
        ("10.31", D(2021, 10, 31)),
        ("10．31", D(2021, 10, 31)),
        ("１０．３１", D(2021, 10, 31)),
        ("10。31", D(2021, 10, 31)),
        ("10/31", D(2021, 10, 31)),
        ("10.31前", D(2021, 10, 31)),
        ("10.31日", D(2021, 10, 31)),
        ("10月31日", D(2021, 10, 31)),
        ("10月31日前", D(2021, 10, 31)),
        ("10月31号", D(2021, 10, 31)),
        ("10月31日之前", D(2021, 10, 31)),
        ("10 月 31 日", D(2021, 10, 31)),
        ("１０月３１日前", D(2021, 10, 31)),
        ("2021.9.30", D(2021, 9, 30)),
        ("2021-9-30", D(2021, 9, 30)),
        ("2021/9/30", D(2021, 9, 30)),
        ("2021-09-30", D(2021, 9, 30)),
        ("2021－9－30", D(2021, 9, 30)),
        ("2021-09-30 00:00:00", D(2021, 9, 30)),
        ("2021年6月30日", D(2021, 6, 30)),
        ("2021年6月30日前", D(2021, 6, 30)),
        ("2021 年 6 月 30 日前", D(2021, 6, 30)),
        ("二〇二一年十月三十一日", D(2021, 10, 31)),
        ("完成时限:2021年10月31日", D(2021, 10, 31)),
        # month ends and parts of months
        ("9月底", D(2021, 9, 30)),
        ("6月底前", D(2021, 6, 30)),
        ("2021年6月底前", D(2021, 6, 30)),
        ("6月末", D(2021, 6, 30)),
        ("6月份", D(2021, 6, 30)),
        ("6月", D(2021, 6, 30)),
        ("6月上旬", D(2021, 6, 10)),
        ("6月中旬", D(2021, 6, 20)),
        ("6月下旬", D(2021, 6, 30)),
        ("6月初", D(2021, 6, 10)),
        ("6月中", D(2021, 6, 15)),
        ("12月底", D(2021, 12, 31)),
        ("元月底", D(2021, 1, 31)),
        ("2021.6", D(2021, 6, 30)),
        ("2021年10月份", D(2021, 10, 31)),
        # Chinese-numeral months
        ("十月底", D(2021, 10, 31)),
        ("十二月底前", D(2021, 12, 31)),
        ("十一月底", D(2021, 11, 30)),
        ("三月", D(2021, 3, 31)),
        ("十月三十一日前", D(2021, 10, 31)),
        ("十月廿五日", D(2021, 10, 25)),
        # quarters
        ("第三季度", D(2021, 9, 30)),
        ("三季度", D(2021, 9, 30)),
        ("3季度", D(2021, 9, 30)),
        ("第3季度", D(2021, 9, 30)),
        ("一季度末", D(2021, 3, 31)),
        ("一季末", D(2021, 3, 31)),
        ("第二季度", D(2021, 6, 30)),
        ("四季度", D(2021, 12, 31)),
        ("Q3", D(2021, 9, 30)),
        ("2021年第四季度", D(2021, 12, 31)),
        # halves and the year
        ("上半年", D(2021, 6, 30)),
        ("年中前", D(2021, 6, 30)),
        ("下半年", D(2021, 12, 31)),
        ("年内", D(2021, 12, 31)),
        ("年底", D(2021, 12, 31)),
        ("年底前", D(2021, 12, 31)),
        ("年末", D(2021, 12, 31)),
        ("年终", D(2021, 12, 31)),
        ("本年度内", D(2021, 12, 31)),
        ("全年", D(2021, 12, 31)),
        ("2021年底前", D(2021, 12, 31)),
        ("2021年", D(2021, 12, 31)),
        # ranges and several dates: the last one
        ("6月-9月", D(2021, 9, 30)),
        ("6-9月", D(2021, 9, 30)),
        ("6月至9月", D(2021, 9, 30)),
        ("1-12月", D(2021, 12, 31)),
        ("6月1日-30日", D(2021, 6, 30)),
        ("6月5日—6月15日", D(2021, 6, 15)),
        ("6月5日～6月15日", D(2021, 6, 15)),
        ("10.1-10.31", D(2021, 10, 31)),
        ("2021.6-9", D(2021, 9, 30)),
        ("2021年6-9月", D(2021, 9, 30)),
        ("6月底前完成初稿，10月底前全面完成", D(2021, 10, 31)),
        ("全面完成10月31日前（6月底前完成初稿）", D(2021, 10, 31)),
        ("9月30日、12月31日", D(2021, 12, 31)),
        ("第一、二季度", D(2021, 6, 30)),
        ("10月底前完成，年底前全面完成", D(2021, 12, 31)),
        # a concrete date beats an undated word
        ("长期坚持，每年12月底前报送", D(2021, 12, 31)),
        ("6月底前完成制度建设，长期坚持", D(2021, 6, 30)),
        # traditional characters
        ("6月底前", D(2021, 6, 30)),
        ("長期堅持，每年12月底前報送", D(2021, 12, 31)),
        ("十月底前完成", D(2021, 10, 31)),
        # M.D in running text, where context makes it a date
        ("于10.31前完成", D(2021, 10, 31)),
        ("完成时间:10.31", D(2021, 10, 31)),
        ("截至10.31", D(2021, 10, 31)),
        ("10.31完成", D(2021, 10, 31)),
    ],
)
def test_forms(text: str, expected: dt.date) -> None:
    assert parse_deadline(text, 2021) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021.9.30", D(2021, 9, 30)),
        ("2021年6月30日前", D(2021, 6, 30)),
        ("2021年6月底前", D(2021, 6, 30)),
        ("2021年底前", D(2021, 12, 31)),
        ("2021年上半年", D(2021, 6, 30)),
        ("2021年第三季度", D(2021, 9, 30)),
        ("2021.6", D(2021, 6, 30)),
        # the text's year carries to later dates without one
        ("2021年6月底前完成初稿，10月底前全面完成", D(2021, 10, 31)),
        ("2021年9月30日至10月31日", D(2021, 10, 31)),
        ("2021年，6月底前", D(2021, 6, 30)),
        ("2021年10.31", D(2021, 10, 31)),
        ("2021年12月完成初稿，次年3月完成", D(2022, 3, 31)),
        ("截止2022年元月15日", D(2022, 1, 15)),
    ],
)
@pytest.mark.parametrize("ledger_year", [None, 2019, 2021, 2030])
def test_year_in_text_wins(text: str, expected: dt.date, ledger_year: int | None) -> None:
    assert parse_deadline(text, ledger_year) == expected


@pytest.mark.parametrize(
    "text",
    ["10.31", "10月31日前", "9月底", "6月上旬", "三季度", "上半年", "年底前", "十月底", "6月-9月",
     "长期坚持，每年12月底前报送", "次年3月", "Q2"],
)  # fmt: skip
def test_no_year_anywhere_means_no_date(text: str) -> None:
    assert parse_deadline(text, 2021) is not None  # the text is a date when a year is known
    assert parse_deadline(text, None) is None


@pytest.mark.parametrize("year", [2020, 2021, 2024])
def test_ledger_year_is_used(year: int) -> None:
    assert parse_deadline("10.31", year) == D(year, 10, 31)
    assert parse_deadline("6月底前", year) == D(year, 6, 30)
    assert parse_deadline("年底前", year) == D(year, 12, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12月-次年3月", D(2022, 3, 31)),
        ("次年底", D(2022, 12, 31)),
        ("明年6月底", D(2022, 6, 30)),
        ("去年底", D(2020, 12, 31)),
        ("明年年底", D(2022, 12, 31)),
        ("明年底", D(2022, 12, 31)),
        ("今年年底", D(2021, 12, 31)),
        ("2022年年底", D(2022, 12, 31)),
        ("次年上半年", D(2022, 6, 30)),
        ("明年年中", D(2022, 6, 30)),
        ("今年10月底", D(2021, 10, 31)),
        ("6月底前完成初稿，2022年3月底前完成", D(2022, 3, 31)),
    ],
)
def test_relative_and_later_years(text: str, expected: dt.date) -> None:
    assert parse_deadline(text, 2021) == expected


# --------------------------------------------------------------------------------------------
# Month ends and leap years

YEARS = [2000, 2020, 2021, 2023, 2024, 2100]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize(
    "form", ["{m}月底", "{m}月", "{m}月份", "{m}月末", "{m}月下旬", "{cn}月底前", "{cn}月份"]
)
def test_month_end(year: int, month: int, form: str) -> None:
    text = form.format(m=month, cn=CN_MONTH[month - 1])
    assert parse_deadline(text, year) == month_end(year, month)


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
@pytest.mark.parametrize("form", ["第{q}季度", "{q}季度", "{cn}季度", "第{cn}季度末"])
def test_quarter_end(year: int, quarter: int, form: str) -> None:
    text = form.format(q=quarter, cn=CN_MONTH[quarter - 1])
    assert parse_deadline(text, year) == month_end(year, quarter * 3)


@pytest.mark.parametrize(
    ("year", "leap"),
    [(2000, True), (2020, True), (2024, True), (2021, False), (2023, False), (2100, False)],
)
def test_february(year: int, leap: bool) -> None:
    assert parse_deadline("2月底", year) == D(year, 2, 29 if leap else 28)
    assert parse_deadline(f"{year}年2月底前", None) == D(year, 2, 29 if leap else 28)
    assert parse_deadline(f"{year}.2", None) == D(year, 2, 29 if leap else 28)
    feb29 = D(year, 2, 29) if leap else None
    assert parse_deadline("2月29日", year) == feb29
    assert parse_deadline("2.29", year) == feb29
    assert parse_deadline(f"{year}.2.29", None) == feb29
    assert parse_deadline(f"{year}年2月29日", 1999) == feb29


@pytest.mark.parametrize(("month", "days"), [(4, 30), (6, 30), (9, 30), (11, 30), (1, 31), (7, 31)])
def test_day_31_only_in_long_months(month: int, days: int) -> None:
    assert parse_deadline(f"{month}月30日", 2021) == D(2021, month, 30)
    expected = D(2021, month, 31) if days == 31 else None
    assert parse_deadline(f"{month}月31日", 2021) == expected
    assert parse_deadline(f"{month}.31", 2021) == expected


# --------------------------------------------------------------------------------------------
# Undated texts


@pytest.mark.parametrize(
    "text",
    ["长期坚持", "持续推进", "常态化", "长期", "持续", "常年", "每月", "每季度", "随时", "",
     "   ", "按上级要求", "根据上级部署", "另行通知", "長期堅持", "持續推進", "常態化", "隨時",
     "每月30日前", "每季度末", "每半年报送一次", "/", "—", "-", "无", "经常性工作", "每一季度",
     "每个月报送"],
)  # fmt: skip
def test_undated(text: str) -> None:
    assert is_undated(text)
    for year in (None, 2020, 2021):
        assert parse_deadline(text, year) is None


@pytest.mark.parametrize("keyword", UNDATED_KEYWORDS)
def test_every_keyword_is_undated(keyword: str) -> None:
    assert is_undated(keyword)
    assert parse_deadline(keyword, 2021) is None


@pytest.mark.parametrize(
    "text",
    ["长期坚持，每年12月底前报送", "持续推进，6月底前完成", "常态化开展，10.31前报送",
     "每年年底前报送"],
)  # fmt: skip
def test_a_date_makes_it_dated(text: str) -> None:
    assert not is_undated(text)
    assert parse_deadline(text, 2021) is not None


@pytest.mark.parametrize("text", ["待定", "按进度", "10月31日", "2.30", "6月31日"])
def test_unreadable_or_dated_text_is_not_undated(text: str) -> None:
    assert not is_undated(text)


def test_keywords_are_simplified_and_normalised() -> None:
    assert len(set(UNDATED_KEYWORDS)) == len(UNDATED_KEYWORDS)
    for keyword in UNDATED_KEYWORDS:
        assert normalize(keyword) == keyword


# --------------------------------------------------------------------------------------------
# Impossible dates, decimals, junk


@pytest.mark.parametrize(
    "text",
    ["2.30", "2月30日", "13.1", "13月", "13月底", "0月", "6月31日", "6.31", "2021.13.1",
     "2021.2.30", "2021年2月30日", "0.5", "6月0日", "9999.1.1", "0000.1.1", "2021.13",
     "6月底前完成初稿，2月30日前完成"],
)  # fmt: skip
def test_impossible_dates(text: str) -> None:
    for year in (None, 2020, 2021):
        assert parse_deadline(text, year) is None


@pytest.mark.parametrize(
    "text",
    ["增长10.31万元", "完成率10.31，较上年提高", "增长1.5-2.5倍", "第1.2条", "v1.2", "10.31%",
     "人均1.5天", "一年四季", "3年内完成", "三年内完成", "半年内完成", "多年来坚持",
     "2021年中央文件精神", "待定", "按进度推进", "《实施纲要(2021-2025年)》"],
)  # fmt: skip
def test_numbers_that_are_not_dates(text: str) -> None:
    assert parse_deadline(text, 2021) is None


def test_bare_month_day_in_long_text_is_not_a_date_but_alone_it_is() -> None:
    long_text = "今年全市法治宣传覆盖率提高到10.31，较上年提升"
    assert parse_deadline(long_text, 2021) is None
    assert parse_deadline("10.31", 2021) == D(2021, 10, 31)
    assert parse_deadline(" 10.31 ", 2021) == D(2021, 10, 31)
    assert parse_deadline("（10.31）", 2021) == D(2021, 10, 31)


def test_reference_notice_phrases() -> None:
    # From the real notice in shared/reference: stage headings in running text.
    text = "(一)安排部署阶段(6月5日—6月15日)。6月上旬,印发《濮阳市人民政府2020年冲刺方案》"
    assert parse_deadline(text, 2020) == D(2020, 6, 15)
    assert parse_deadline("(三)总结评估阶段(11月1日—11月30日)。", 2020) == D(2020, 11, 30)


@pytest.mark.parametrize("year", [None, 0, -5, 1, 1899, 2200, 9999, 10000, 10**20])
def test_years_outside_the_calendar_give_no_date(year: int | None) -> None:
    assert parse_deadline("6月底前", year) is None
    assert parse_deadline("次年底", None if year is None else year - 1) is None
    assert parse_deadline("2021年6月底前", year) == D(2021, 6, 30)


def test_non_text_input_is_no_date() -> None:
    for junk in (None, 10.31, 2021, b"10.31", ["10.31"]):
        value: Any = junk
        assert parse_deadline(value, 2021) is None
        assert is_undated(value) is False


FUZZ_ALPHABET = [
    *"0123456789年月日.底前季度上下半旬中末-至第一二三四十廿卅每长期,/号元全次Q ",
    *["2021", "12", "31", "长期坚持", "，", "．", "〇", "次年", "%"],
]


def test_junk_never_raises() -> None:
    rng = random.Random(0)
    seen_dates = 0
    for _ in range(600):
        text = "".join(rng.choice(FUZZ_ALPHABET) for _ in range(rng.randint(0, 24)))
        undated = is_undated(text)
        assert isinstance(undated, bool)
        for year in (None, 2020, 2021, 2100):
            result = parse_deadline(text, year)
            assert result is None or isinstance(result, dt.date)
            if result is not None:
                seen_dates += 1
                assert 1900 <= result.year <= 2199
                # An undated text never yields a date, and a dated one is never "undated".
                assert not undated
    assert seen_dates > 0  # the fuzz did exercise the date paths


def test_long_text_is_handled() -> None:
    text = "各单位于6月底前完成自查，" * 5000 + "12月31日前全面完成"
    assert parse_deadline(text, 2021) == D(2021, 12, 31)


# --------------------------------------------------------------------------------------------
# textnorm


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("１０．３１", "10.31"),
        ("２０２１－９－３０", "2021-9-30"),
        ("  主要任务 \u3000\n 完成时间\t", "主要任务 完成时间"),
        ("完成\u200b时间", "完成时间"),
        ("主要任務", "主要任务"),
        ("完成時間", "完成时间"),
        ("進展情況", "进展情况"),
        ("責任科室", "责任科室"),
        ("責任單位", "责任单位"),
        ("負責人", "负责人"),
        ("備註", "备注"),
        ("說明", "说明"),
        ("填報單位", "填报单位"),
        ("長期堅持", "长期坚持"),
        ("持續推進", "持续推进"),
        ("常態化", "常态化"),
        ("", ""),
        ("plain ascii", "plain ascii"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_is_idempotent() -> None:
    rng = random.Random(0)
    alphabet = "長期堅持完成時間１０．３１ \u3000\t年月日務報,，"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        once = normalize(text)
        assert normalize(once) == once
        assert once == once.strip()
        assert "  " not in once


def test_fallback_table_agrees_with_opencc() -> None:
    converter = opencc.OpenCC("t2s")
    for traditional, simplified in zip(
        textnorm._FALLBACK_PAIRS[::2], textnorm._FALLBACK_PAIRS[1::2], strict=True
    ):
        assert converter.convert(traditional) == simplified, traditional
    headers = "主要任務 完成時間 進展情況 責任科室 責任單位 負責人 備註 說明 填報單位 長期堅持"
    assert textnorm._fallback_t2s(headers) == converter.convert(headers)


def test_fallback_is_used_when_opencc_cannot_load(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    textnorm._t2s.cache_clear()
    monkeypatch.setitem(sys.modules, "opencc", None)  # makes `import opencc` fail
    try:
        with caplog.at_level(logging.WARNING, logger="fazhi_desktop.textnorm"):
            assert normalize("完成時間 長期堅持") == "完成时间 长期坚持"
        assert any("OpenCC" in r.getMessage() for r in caplog.records)
        assert is_undated("長期堅持")
        assert parse_deadline("６月底前", 2021) == D(2021, 6, 30)
    finally:
        textnorm._t2s.cache_clear()
        monkeypatch.undo()
    assert normalize("乾淨") == "干净"  # OpenCC is back (not in the fallback table)
