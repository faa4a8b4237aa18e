"""The dossier register (sổ theo dõi hồ sơ) written straight to PDF, for thousands of rows.

WeasyPrint lays out every table cell through Pango, far too slow (docs/performance.md)
for a busy center's month (several thousand rows). The register is one long ruled table, so it is drawn
here with pydyf (WeasyPrint's own PDF writer) and fontTools: the same DejaVu fonts embedded as subsets,
greedy word wrap measured with the fonts' advance widths, a two-level header repeated on every page, and
"Trang x/y" at the foot. Text stays extractable (a ToUnicode map travels with each font).

The other forms are one page each and keep their HTML templates (`pdf.py`).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pydyf
from django.conf import settings
from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont


def font_dir() -> Path:
    """Debian's fonts-dejavu-core; the PDF_FONT_DIR setting lets a deployment point elsewhere."""
    return Path(getattr(settings, "PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))


MM = 72 / 25.4
PAGE_W, PAGE_H = 297 * MM, 210 * MM  # A4 landscape
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 15 * MM, 12 * MM, 15 * MM, 15 * MM
PAD = 1.0 * MM


class Font:
    """One TrueType face: advance widths for measuring, glyph ids for Identity-H text, and the glyphs used
    (so that only those are embedded)."""

    def __init__(self, path: Path, name: str) -> None:
        self.path, self.name = path, name
        self.gid, self.width, self.ascent, self.descent, self.bbox = _metrics(str(path))
        self.used: dict[int, str] = {}  # per document: the glyphs to embed
        self._missing = self.width.get("?", 500)

    def measure(self, text: str, size: float) -> float:
        get = self.width.get
        return sum(get(c, self._missing) for c in text) * size / 1000

    def encode(self, text: str) -> bytes:
        """The text as a hex string of glyph ids (Identity-H), remembering which glyphs to embed."""
        out = []
        for c in text:
            gid = self.gid.get(c, 0)
            self.used.setdefault(gid, c)
            out.append(f"{gid:04x}")
        return b"<" + "".join(out).encode() + b">"

    def embed(self, document: pydyf.PDF) -> pydyf.Dictionary:
        options = ft_subset.Options()
        options.retain_gids = True  # the content streams already name glyphs by their ids
        options.notdef_outline = True
        options.name_IDs = ["*"]
        options.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB"]
        tt = TTFont(str(self.path), lazy=True)
        for tag in ("FFTM", "GDEF", "GPOS", "GSUB"):
            # Dropped before subsetting: the subsetter would otherwise parse the layout tables it then drops
            # (more than half the time of a form 06 PDF went there).
            if tag in tt:
                del tt[tag]
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(gids=sorted({0, *self.used}))
        subsetter.subset(tt)
        buffer = io.BytesIO()
        tt.save(buffer)
        data = buffer.getvalue()
        font_file = pydyf.Stream([data], {"Length1": len(data)}, compress=True)
        document.add_object(font_file)
        descriptor = pydyf.Dictionary({
            "Type": "/FontDescriptor", "FontName": f"/{self.name}", "Flags": 32,
            "FontBBox": pydyf.Array(self.bbox), "ItalicAngle": 0, "Ascent": self.ascent,
            "Descent": self.descent, "CapHeight": self.ascent, "StemV": 80, "FontFile2": font_file.reference})
        document.add_object(descriptor)
        widths = pydyf.Array()
        for gid in sorted(self.used):
            widths.extend([gid, pydyf.Array([self.width.get(self.used[gid], self._missing)])])
        cid_font = pydyf.Dictionary({
            "Type": "/Font", "Subtype": "/CIDFontType2", "BaseFont": f"/{self.name}",
            "CIDSystemInfo": pydyf.Dictionary({"Registry": pydyf.String("Adobe"),
                                               "Ordering": pydyf.String("Identity"), "Supplement": 0}),
            "FontDescriptor": descriptor.reference, "W": widths, "CIDToGIDMap": "/Identity"})
        document.add_object(cid_font)
        to_unicode = pydyf.Stream([self._cmap()], compress=True)
        document.add_object(to_unicode)
        font = pydyf.Dictionary({
            "Type": "/Font", "Subtype": "/Type0", "BaseFont": f"/{self.name}", "Encoding": "/Identity-H",
            "DescendantFonts": pydyf.Array([cid_font.reference]), "ToUnicode": to_unicode.reference})
        document.add_object(font)
        return font

    def _cmap(self) -> bytes:
        lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
                 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
                 "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
                 "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
        items = sorted(self.used.items())
        for start in range(0, len(items), 100):  # at most 100 entries per block
            chunk = items[start:start + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            lines += [f"<{gid:04x}> <{ord(c):04x}>" for gid, c in chunk]
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines).encode()


@functools.lru_cache(maxsize=16)
def _metrics(path: str) -> tuple[dict[str, int], dict[str, float], float, float, list[float]]:
    """A face's glyph ids and advance widths by character, ascent, descent, box: read once per process."""
    tt = TTFont(path, lazy=True)
    scale = 1000 / tt["head"].unitsPerEm
    hmtx = tt["hmtx"]
    gid: dict[str, int] = {}
    width: dict[str, float] = {}
    for cp, glyph in tt.getBestCmap().items():
        gid[chr(cp)] = tt.getGlyphID(glyph)
        width[chr(cp)] = hmtx[glyph][0] * scale
    head = tt["head"]
    return (gid, width, tt["hhea"].ascent * scale, tt["hhea"].descent * scale,
            [v * scale for v in (head.xMin, head.yMin, head.xMax, head.yMax)])


def wrap(font: Font, text: str, width: float, size: float) -> list[str]:
    """Greedy word wrap; a word wider than the column (a long code) is cut where it must be."""
    lines: list[str] = []
    for paragraph in (text or "").split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if font.measure(candidate, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while font.measure(word, size) > width:
                cut = _fit(font, word, width, size)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines or [""]


def _fit(font: Font, word: str, width: float, size: float) -> int:
    """How many characters of `word` fit, preferring a cut after a separator (- . /)."""
    n = 1
    while n < len(word) and font.measure(word[:n + 1], size) <= width:
        n += 1
    for i in range(n, max(n // 2, 1) - 1, -1):
        if word[i - 1] in "-./":
            return i
    return n


@dataclass(frozen=True)
class Column:
    label: str
    share: float  # of the table width
    group: str = ""  # columns sharing a group get a spanning header above them
    align: str = "left"


@dataclass
class Canvas:
    regular: Font
    bold: Font
    italic: Font | None = None
    ops: list[str] = field(default_factory=list)

    def text(self, x: float, y: float, s: str, size: float, *, bold: bool = False, italic: bool = False,
             align: str = "left", width: float = 0) -> None:
        name, font = ("B", self.bold) if bold else ("I", self.italic) if italic and self.italic else ("R", self.regular)
        if align == "center":
            x += (width - font.measure(s, size)) / 2
        elif align == "right":
            x += width - font.measure(s, size)
        self.ops.append(f"BT /{name} {size:g} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm {font.encode(s).decode()} Tj ET")

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.ops.append(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l S")

    def rect(self, x: float, y: float, w: float, h: float) -> None:
        self.ops.append(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re S")


@dataclass(frozen=True)
class HeaderCell:
    """One cell of a header drawn as a grid: it spans `rowspan` header rows and `colspan` columns."""

    label: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class TableRow:
    """A row with its own look: the total in bold, a tree's child indented; `numbered` False leaves the first
    column (the running number) empty."""

    cells: Sequence[str]
    bold: bool = False
    indent: int = 0  # steps of INDENT in the second column (the unit's name)
    numbered: bool = True


@dataclass(frozen=True)
class TableDocument:
    """What the page shows above its table, the table itself and what follows it."""

    form_line: str  # "Mẫu số 07 — Thông tư số 03/2025/TT-VPCP"
    issuer_parent: str
    issuer: str
    place_date: str
    title: str
    subtitle: Sequence[str]
    columns: Sequence[Column]
    rows: Iterable[Sequence[str] | TableRow]
    empty: str = "Không có hồ sơ nào trong kỳ."
    # The header as a grid of spanning cells (None: one level, or two where columns share a group).
    header: Sequence[HeaderCell] | None = None
    national_header: bool = True  # the issuer on the left, the national motto and the date on the right
    # Below the table, side by side: each block a list of (text, style) lines, style "" | "b" | "i".
    signatures: Sequence[Sequence[tuple[str, str]]] = ()


SIZE, HEAD_SIZE = 7.5, 7.5
LEADING = 1.25
INDENT = 3 * MM


def render(doc: TableDocument, *, font_dir: Path, regular: str = "DejaVuSerifCondensed.ttf",
           bold: str = "DejaVuSerifCondensed-Bold.ttf", italic: str = "DejaVuSerifCondensed-Italic.ttf") -> bytes:
    canvas = Canvas(Font(font_dir / regular, "DejaVuSerifCondensed"),
                    Font(font_dir / bold, "DejaVuSerifCondensed-Bold"),
                    Font(font_dir / italic, "DejaVuSerifCondensed-Italic") if (font_dir / italic).exists() else None)
    table_w = PAGE_W - MARGIN_L - MARGIN_R
    widths = [c.share * table_w for c in doc.columns]
    xs = [MARGIN_L]
    for w in widths:
        xs.append(xs[-1] + w)
    header = list(doc.header) if doc.header is not None else header_of(doc.columns)
    line_h = SIZE * LEADING
    pages: list[list[str]] = []

    def new_page(first: bool) -> float:
        canvas.ops = []
        pages.append(canvas.ops)
        y = PAGE_H - MARGIN_T
        if first:
            y = _masthead(canvas, doc, y, table_w)
        return _header(canvas, header, xs, y)

    y = new_page(True)
    wrap_cache: dict[tuple[str, int, bool, int], list[str]] = {}
    any_row = False
    number = 0
    for item in doc.rows:
        any_row = True
        row = item if isinstance(item, TableRow) else TableRow(item)
        if row.numbered:
            number += 1
        cells = [str(number) if row.numbered else "", *row.cells]
        font = canvas.bold if row.bold else canvas.regular
        indent = row.indent * INDENT
        wrapped = []
        for i, value in enumerate(cells):
            shift = indent if i == 1 else 0
            key = (value, i, row.bold, shift)
            lines = wrap_cache.get(key)
            if lines is None:
                lines = wrap(font, value, widths[i] - 2 * PAD - shift, SIZE)
                if len(wrap_cache) < 20000:
                    wrap_cache[key] = lines
            wrapped.append(lines)
        height = max(len(lines) for lines in wrapped) * line_h + 2 * PAD
        if y - height < MARGIN_B + 6 * MM:
            y = new_page(False)
        for i, lines in enumerate(wrapped):
            shift = indent if i == 1 else 0
            canvas.rect(xs[i], y - height, widths[i], height)
            ty = y - PAD - SIZE * 0.9
            for text in lines:
                if text:
                    canvas.text(xs[i] + PAD + shift, ty, text, SIZE, bold=row.bold, align=doc.columns[i].align,
                                width=widths[i] - 2 * PAD - shift)
                ty -= line_h
        y -= height
    if not any_row:
        height = line_h + 2 * PAD
        canvas.rect(MARGIN_L, y - height, table_w, height)
        canvas.text(MARGIN_L, y - PAD - SIZE * 0.9, doc.empty, SIZE, align="center", width=table_w)
        y -= height
    if doc.signatures:
        _signatures(canvas, doc.signatures, y, table_w, new_page=lambda: _blank_page(canvas, pages))
    total = len(pages)
    for n, ops in enumerate(pages, start=1):
        canvas.ops = ops
        canvas.text(PAGE_W - MARGIN_R - 40 * MM, MARGIN_B - 8 * MM, f"Trang {n}/{total}", 7.5, align="right",
                    width=40 * MM)
    return _write(canvas, pages)


def _blank_page(canvas: Canvas, pages: list[list[str]]) -> float:
    canvas.ops = []
    pages.append(canvas.ops)
    return PAGE_H - MARGIN_T


SIGN_SIZE = 9.5


def _signatures(canvas: Canvas, blocks: Sequence[Sequence[tuple[str, str]]], y: float, table_w: float,
                *, new_page) -> None:
    """The signature blocks side by side under the table, kept together on one page."""
    width = table_w / len(blocks)
    line_h = SIGN_SIZE * 1.35
    height = 8 * MM + max(len(b) for b in blocks) * line_h
    if y - height < MARGIN_B:
        y = new_page()
    top = y - 8 * MM
    for i, block in enumerate(blocks):
        ty = top - SIGN_SIZE
        for text, style in block:
            canvas.text(MARGIN_L + i * width, ty, text, SIGN_SIZE, bold=style == "b", italic=style == "i",
                        align="center", width=width)
            ty -= line_h


def header_of(columns: Sequence[Column]) -> list[HeaderCell]:
    """The header of columns that name their group: each run of adjacent columns of one group under a
    spanning label, the other columns spanning both levels (one level when no column has a group)."""
    grouped = any(c.group for c in columns)
    cells = [HeaderCell(c.label, 1, i) if c.group else HeaderCell(c.label, 0, i, rowspan=2 if grouped else 1)
             for i, c in enumerate(columns)]
    start = None
    for i in range(len(columns) + 1):
        group = columns[i].group if i < len(columns) else ""
        if start is not None and group != columns[start].group:
            cells.append(HeaderCell(columns[start].group, 0, start, colspan=i - start))
            start = None
        if group and start is None:
            start = i
    return cells


def _masthead(canvas: Canvas, doc: TableDocument, y: float, table_w: float) -> float:
    canvas.text(MARGIN_L, y - 9, doc.form_line, 8.5, italic=True, align="right", width=table_w)
    y -= 20
    if doc.national_header:
        left_w, right_x, right_w = table_w * 0.4, MARGIN_L + table_w * 0.4, table_w * 0.6
        ly = y
        for text, bold in ((doc.issuer_parent.upper(), False), (doc.issuer.upper(), True)):
            for line in wrap(canvas.bold if bold else canvas.regular, text, left_w, 9.5):
                if line:
                    canvas.text(MARGIN_L, ly - 9.5, line, 9.5, bold=bold, align="center", width=left_w)
                    ly -= 12
        canvas.line(MARGIN_L + left_w * 0.35, ly - 2, MARGIN_L + left_w * 0.65, ly - 2)
        canvas.text(right_x, y - 9.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 9.5, bold=True, align="center",
                    width=right_w)
        canvas.text(right_x, y - 21.5, "Độc lập - Tự do - Hạnh phúc", 9.5, bold=True, align="center", width=right_w)
        canvas.line(right_x + right_w * 0.3, y - 25, right_x + right_w * 0.7, y - 25)
        canvas.text(right_x, y - 37, doc.place_date, 9.5, align="center", width=right_w)
        y = min(ly, y - 37) - 22
    else:
        y -= 6
    for line in wrap(canvas.bold, doc.title.upper(), table_w, 13):
        canvas.text(MARGIN_L, y, line, 13, bold=True, align="center", width=table_w)
        y -= 16
    y += 2
    for line in doc.subtitle:
        canvas.text(MARGIN_L, y, line, 9.5, align="center", width=table_w)
        y -= 12
    return y - 4


def _header(canvas: Canvas, cells: Sequence[HeaderCell], xs: list[float], y: float) -> float:
    """The header grid: each cell spans its rows and columns; a row is as tall as its tallest one-row cell
    (a spanning cell taller than the rows it spans stretches the last of them)."""
    line_h = HEAD_SIZE * LEADING
    n_rows = max(c.row + c.rowspan for c in cells)
    labels = {c: wrap(canvas.bold, c.label, xs[c.col + c.colspan] - xs[c.col] - 2 * PAD, HEAD_SIZE) for c in cells}
    heights = [line_h + 2 * PAD] * n_rows
    for c in cells:
        if c.rowspan == 1:
            heights[c.row] = max(heights[c.row], len(labels[c]) * line_h + 2 * PAD)
    for c in cells:
        need = len(labels[c]) * line_h + 2 * PAD
        have = sum(heights[c.row:c.row + c.rowspan])
        if need > have:
            heights[c.row + c.rowspan - 1] += need - have
    tops = [y]
    for h in heights:
        tops.append(tops[-1] - h)
    for c in cells:
        x, w = xs[c.col], xs[c.col + c.colspan] - xs[c.col]
        top, bottom = tops[c.row], tops[c.row + c.rowspan]
        canvas.rect(x, bottom, w, top - bottom)
        _centered_lines(canvas, labels[c], x, w, top, top - bottom)
    return tops[-1]


def _centered_lines(canvas: Canvas, lines: list[str], x: float, w: float, top: float, h: float) -> None:
    line_h = HEAD_SIZE * LEADING
    ty = top - (h - len(lines) * line_h) / 2 - HEAD_SIZE * 0.9
    for line in lines:
        canvas.text(x + PAD, ty, line, HEAD_SIZE, bold=True, align="center", width=w - 2 * PAD)
        ty -= line_h


def _write(canvas: Canvas, pages: list[list[str]]) -> bytes:
    document = pydyf.PDF()
    fonts = pydyf.Dictionary({"R": canvas.regular.embed(document).reference,
                              "B": canvas.bold.embed(document).reference})
    if canvas.italic is not None and canvas.italic.used:
        fonts["I"] = canvas.italic.embed(document).reference
    resources = pydyf.Dictionary({"Font": fonts})
    document.add_object(resources)
    for ops in pages:
        content = pydyf.Stream(["0.6 w", *ops], compress=True)
        document.add_object(content)
        page = pydyf.Dictionary({
            "Type": "/Page", "Parent": document.pages.reference,
            "MediaBox": pydyf.Array([0, 0, round(PAGE_W, 2), round(PAGE_H, 2)]),
            "Resources": resources.reference, "Contents": content.reference})
        document.add_page(page)
    output = io.BytesIO()
    document.write(output, compress=True)
    return output.getvalue()
