"""A python-docx document set up as a 党政机关公文 (GB/T 9704-2012): page, fonts, styles, 页码.

The layout: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm holding 22 lines of 28 characters;
标题 2号小标宋, 一级标题 3号黑体, 二级标题 3号楷体, 正文 3号仿宋, line pitch fixed so that the
22 lines fill the 版心; 页码 4号宋体 “— N —”, odd pages right and even pages left, one
character in from the edge of the 版心.

Fonts. A .docx can only *name* fonts; the reader's machine supplies them. The faces named are
the ones every Windows since Vista ships (黑体 SimHei, 楷体 KaiTi, 仿宋 FangSong), so the
document looks right on a plain office PC, in Word and in WPS. Their older _GB2312 names, which
many offices still install and GB/T 9704 cites, go into the font table as ``w:altName`` (in
ECMA-376, another name by which an application may locate the font). 小标宋 ships with no
system; the title names 方正小标宋简体, which practically every government PC has, with 宋体 as
its altName and a Song face's panose, family and GB2312 charset (what font substitution matches
on), so a machine without it shows a Song face rather than a sans-serif. Swapping in a face an
office prefers is one edit of a style. East-Asian faces must be set in ``w:eastAsia``:
python-docx's ``font.name`` sets only the Latin slots, and Chinese text would keep the theme
font.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

LATIN = "Times New Roman"  # digits and Latin letters, as offices set them beside 仿宋


@dataclass(frozen=True, slots=True)
class Face:
    name: str
    alt_name: str
    panose: str


TITLE_FACE = Face("方正小标宋简体", "宋体", "02010600030101010101")
HEI = Face("黑体", "SimHei", "02010609060101010101")
KAI = Face("楷体", "楷体_GB2312", "02010609060101010101")
FANGSONG = Face("仿宋", "仿宋_GB2312", "02010609060101010101")
SONG = Face("宋体", "SimSun", "02010600030101010101")

BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
PAGE_NUMBER_SIZE = Pt(14)  # 4号

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
TITLE_CHARS_PER_LINE = 20  # 2号 characters across the 156 mm 版心
TWIPS_PER_PT = 20


def _twips(length: Length) -> int:
    return round(length.pt * TWIPS_PER_PT)


# The 版心 in twips, as Word rounds the margins; the line pitch is its height over 22 lines.
TEXT_HEIGHT_TWIPS = _twips(PAGE_HEIGHT) - _twips(TOP) - _twips(BOTTOM)
TEXT_WIDTH_TWIPS = _twips(PAGE_WIDTH) - _twips(LEFT) - _twips(RIGHT)
LINE_PITCH_TWIPS = TEXT_HEIGHT_TWIPS // LINES_PER_PAGE
LINE_PITCH = Pt(LINE_PITCH_TWIPS / TWIPS_PER_PT)
# Character spacing, in twentieths of a point, that makes 28 body characters fit a line (a
# 16 pt character is a little wider than 156 mm / 28): “每行28个字”.
CHAR_SPACING = math.floor(TEXT_WIDTH_TWIPS / CHARS_PER_LINE) - round(BODY_SIZE.pt * TWIPS_PER_PT)
# rPr children that must come after w:spacing (the schema fixes their order).
_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
                  "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
                  "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")  # fmt: skip

TITLE_STYLE = "公文标题"
HEADING_1 = "Heading 1"
HEADING_2 = "Heading 2"
BODY_STYLE = "Normal"
GUIDANCE_STYLE = "撰写提示"
SIGNATURE_STYLE = "落款"
GUIDANCE_COLOUR = RGBColor(0x7F, 0x7F, 0x7F)


def new_document() -> DocxDocument:
    """An empty document with the page, styles, font table and 页码 of a 公文."""
    doc = Document()
    _drop_thumbnail(doc)
    _page(doc)
    _styles(doc)
    _font_table(doc)
    _page_numbers(doc)
    return doc


def set_fonts(element: BaseOxmlElement, face: Face, latin: str = LATIN) -> None:
    """Name ``face`` for Chinese text and ``latin`` for the rest on an element's rPr.

    Theme font attributes are removed: Word prefers them over explicit names.
    """
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), face.name)
    fonts.set(qn("w:cs"), latin)


def _drop_thumbnail(doc: DocxDocument) -> None:
    # python-docx's template carries its own preview picture, which Windows Explorer and
    # WPS would show for this file.
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]


def _page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = Mm(15)
    # The 一字线 of the 页码 sits about 7 mm below the 版心.
    section.footer_distance = Mm(22)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = section._sectPr.makeelement(qn("w:docGrid"), {})
        section._sectPr.append(grid)
    # No snapping grid: LibreOffice lets a character wider than a grid cell take two cells, so a
    # 28-character grid (charSpace < 0) doubles every gap there. The fixed line pitch and the
    # condensed body spacing give the same 22 × 28 in Word, WPS and LibreOffice.
    grid.attrib.pop(qn("w:type"), None)
    grid.attrib.pop(qn("w:charSpace"), None)
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))


def _styles(doc: DocxDocument) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            for tag in ("w:rFonts", "w:sz", "w:szCs", "w:lang"):
                for child in rpr.findall(qn(tag)):
                    rpr.remove(child)
            rpr.insert(
                0,
                parse_xml(
                    f'<w:rFonts {nsdecls("w")} w:ascii="{LATIN}" w:hAnsi="{LATIN}" '
                    f'w:eastAsia="{FANGSONG.name}" w:cs="{LATIN}"/>'
                ),
            )
            # The docGrid's character pitch is reckoned from the default size.
            size = int(BODY_SIZE.pt * 2)
            rpr.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="{size}"/>'))
            rpr.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="{size}"/>'))
            # Chinese line breaking (标点避头尾) and proofing follow the East-Asian language.
            rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-US" w:eastAsia="zh-CN"/>'))

    body = styles[BODY_STYLE]
    assert isinstance(body, ParagraphStyle)
    _format(body, FANGSONG, BODY_SIZE)
    body.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.widow_control = False
    _character_spacing(body, CHAR_SPACING)

    title = styles.add_style(TITLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(title, ParagraphStyle)
    title.base_style = body
    title.next_paragraph_style = body
    _format(title, TITLE_FACE, TITLE_SIZE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    # A 2号 line needs more than the body pitch; the blank line under the title is 空一行.
    title.paragraph_format.line_spacing = Pt(35)
    title.paragraph_format.space_after = LINE_PITCH
    title.paragraph_format.keep_with_next = True
    _character_spacing(title, 0)

    for name, face, level in ((HEADING_1, HEI, 0), (HEADING_2, KAI, 1)):
        style = styles[name]
        assert isinstance(style, ParagraphStyle)
        style.base_style = body
        _format(style, face, BODY_SIZE)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
        style.element.get_or_add_pPr().get_or_add_outlineLvl().val = level

    guidance = styles.add_style(GUIDANCE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(guidance, ParagraphStyle)
    guidance.base_style = body
    guidance.font.italic = True
    guidance.font.color.rgb = GUIDANCE_COLOUR

    signature = styles.add_style(SIGNATURE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(signature, ParagraphStyle)
    signature.base_style = body
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.first_line_indent = Pt(0)
    # 成文日期右空四字.
    signature.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)


def _format(style: ParagraphStyle, face: Face, size: Pt) -> None:
    set_fonts(style.element, face)
    style.font.size = size
    style.font.bold = False
    style.font.italic = False
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH


def _character_spacing(style: ParagraphStyle, twentieths: int) -> None:
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:spacing")):
        rpr.remove(old)
    spacing = parse_xml(f'<w:spacing {nsdecls("w")} w:val="{twentieths}"/>')
    successors = [child for child in rpr if child.tag in {qn(t) for t in _AFTER_SPACING}]
    if successors:
        successors[0].addprevious(spacing)
    else:
        rpr.append(spacing)


def _font_table(doc: DocxDocument) -> None:
    """Add the faces used, with their fallback names, to the document's font table."""
    old = doc.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(old.blob)
    known = {font.get(qn("w:name")) for font in root.findall(qn("w:font"))}
    for face in (TITLE_FACE, HEI, KAI, FANGSONG, SONG):
        if face.name in known:
            continue
        root.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{face.name}">'
                f'<w:altName w:val="{face.alt_name}"/>'
                f'<w:panose1 w:val="{face.panose}"/>'
                '<w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="variable"/>'
                "</w:font>"
            )
        )
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype == RT.FONT_TABLE:
            doc.part.drop_rel(rid)
    part = Part(
        PackURI("/word/fontTable.xml"),
        CT.WML_FONT_TABLE,
        serialize_part_xml(root),
        doc.part.package,
    )
    doc.part.relate_to(part, RT.FONT_TABLE)


def _page_numbers(doc: DocxDocument) -> None:
    """页码 “— N —”: odd pages at the right, even pages at the left, one character in."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    indent = Pt(PAGE_NUMBER_SIZE.pt)
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = alignment
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.space_before = fmt.space_after = Pt(0)
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = indent
        else:
            fmt.left_indent = indent
        _page_field(paragraph)


def _page_field(paragraph: Paragraph) -> None:
    """“— ”, a PAGE field, “ —”, in 4号宋体; the dashes are 一字线 (full-width em dashes)."""

    def run(xml: str) -> None:
        paragraph._p.append(
            parse_xml(
                f"<w:r {nsdecls('w')}><w:rPr>"
                f'<w:rFonts w:ascii="{SONG.name}" w:hAnsi="{SONG.name}" '
                f'w:eastAsia="{SONG.name}" w:cs="{SONG.name}" w:hint="eastAsia"/>'
                f'<w:sz w:val="{int(PAGE_NUMBER_SIZE.pt * 2)}"/>'
                f'<w:szCs w:val="{int(PAGE_NUMBER_SIZE.pt * 2)}"/>'
                f"</w:rPr>{xml}</w:r>"
            )
        )

    run('<w:t xml:space="preserve">— </w:t>')
    run('<w:fldChar w:fldCharType="begin"/>')
    run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
    run('<w:fldChar w:fldCharType="separate"/>')
    run("<w:t>1</w:t>")
    run('<w:fldChar w:fldCharType="end"/>')
    run('<w:t xml:space="preserve"> —</w:t>')
