"""The dossier register (sổ theo dõi hồ sơ) written straight to PDF, for thousands of rows.

WeasyPrint lays out every table cell through Pango, far too slow (docs/performance.md)
for a busy center's month (several thousand rows). The register is one long ruled table, so it is drawn
here with pydyf (WeasyPrint's own PDF writer) and fontTools: the same DejaVu fonts embedded as subsets,
greedy word wrap measured with the fonts' advance widths, a two-level header repeated on every page, and
"Trang x/y" at the foot. Text stays extractable (a ToUnicode map travels with each font).

The other forms are one page each and keep their HTML templates (`pdf.py`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pydyf
from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont

MM = 72 / 25.4
PAGE_W, PAGE_H = 297 * MM, 210 * MM  # A4 landscape
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 15 * MM, 12 * MM, 15 * MM, 15 * MM
PAD = 1.0 * MM


class Font:
    """One TrueType face: advance widths for measuring, glyph ids for Identity-H text, and the glyphs used
    (so that only those are embedded)."""

    def __init__(self, path: Path, name: str) -> None:
        self.path, self.name = path, name
        tt = TTFont(str(path), lazy=True)
        scale = 1000 / tt["head"].unitsPerEm
        hmtx = tt["hmtx"]
        self.gid: dict[str, int] = {}
        self.width: dict[str, float] = {}
        for cp, glyph in tt.getBestCmap().items():
            self.gid[chr(cp)] = tt.getGlyphID(glyph)
            self.width[chr(cp)] = hmtx[glyph][0] * scale
        self.ascent = tt["hhea"].ascent * scale
        self.descent = tt["hhea"].descent * scale
        self.bbox = [v * scale for v in (tt["head"].xMin, tt["head"].yMin, tt["head"].xMax, tt["head"].yMax)]
        self.used: dict[int, str] = {}
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
        tt = TTFont(str(self.path))
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
    ops: list[str] = field(default_factory=list)

    def text(self, x: float, y: float, s: str, size: float, *, bold: bool = False, align: str = "left",
             width: float = 0) -> None:
        font = self.bold if bold else self.regular
        if align == "center":
            x += (width - font.measure(s, size)) / 2
        elif align == "right":
            x += width - font.measure(s, size)
        self.ops.append(f"BT /{'B' if bold else 'R'} {size:g} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm "
                        f"{font.encode(s).decode()} Tj ET")

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.ops.append(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l S")

    def rect(self, x: float, y: float, w: float, h: float) -> None:
        self.ops.append(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re S")


@dataclass(frozen=True)
class TableDocument:
    """What the register page shows above its table, and the table itself."""

    form_line: str  # "Mẫu số 07 — Thông tư số 03/2025/TT-VPCP"
    issuer_parent: str
    issuer: str
    place_date: str
    title: str
    subtitle: Sequence[str]
    columns: Sequence[Column]
    rows: Iterable[Sequence[str]]
    empty: str = "Không có hồ sơ nào trong kỳ."


SIZE, HEAD_SIZE = 7.5, 7.5
LEADING = 1.25


def render(doc: TableDocument, *, font_dir: Path, regular: str = "DejaVuSerifCondensed.ttf",
           bold: str = "DejaVuSerifCondensed-Bold.ttf") -> bytes:
    canvas = Canvas(Font(font_dir / regular, "DejaVuSerifCondensed"),
                    Font(font_dir / bold, "DejaVuSerifCondensed-Bold"))
    table_w = PAGE_W - MARGIN_L - MARGIN_R
    widths = [c.share * table_w for c in doc.columns]
    xs = [MARGIN_L]
    for w in widths:
        xs.append(xs[-1] + w)
    line_h = SIZE * LEADING
    pages: list[list[str]] = []

    def new_page(first: bool) -> float:
        canvas.ops = []
        pages.append(canvas.ops)
        y = PAGE_H - MARGIN_T
        if first:
            y = _masthead(canvas, doc, y, table_w)
        return _header(canvas, doc.columns, xs, widths, y)

    y = new_page(True)
    wrap_cache: dict[tuple[str, int], list[str]] = {}
    any_row = False
    for number, row in enumerate(doc.rows, start=1):
        any_row = True
        cells = [str(number), *row]
        wrapped = []
        for i, value in enumerate(cells):
            key = (value, i)
            lines = wrap_cache.get(key)
            if lines is None:
                lines = wrap(canvas.regular, value, widths[i] - 2 * PAD, SIZE)
                if len(wrap_cache) < 20000:
                    wrap_cache[key] = lines
            wrapped.append(lines)
        height = max(len(lines) for lines in wrapped) * line_h + 2 * PAD
        if y - height < MARGIN_B + 6 * MM:
            y = new_page(False)
        for i, lines in enumerate(wrapped):
            canvas.rect(xs[i], y - height, widths[i], height)
            ty = y - PAD - SIZE * 0.9
            for text in lines:
                if text:
                    canvas.text(xs[i] + PAD, ty, text, SIZE, align=doc.columns[i].align, width=widths[i] - 2 * PAD)
                ty -= line_h
        y -= height
    if not any_row:
        height = line_h + 2 * PAD
        canvas.rect(MARGIN_L, y - height, table_w, height)
        canvas.text(MARGIN_L, y - PAD - SIZE * 0.9, doc.empty, SIZE, align="center", width=table_w)
    total = len(pages)
    for n, ops in enumerate(pages, start=1):
        canvas.ops = ops
        canvas.text(PAGE_W - MARGIN_R - 40 * MM, MARGIN_B - 8 * MM, f"Trang {n}/{total}", 7.5, align="right",
                    width=40 * MM)
    return _write(canvas, pages)


def _masthead(canvas: Canvas, doc: TableDocument, y: float, table_w: float) -> float:
    canvas.text(MARGIN_L, y - 9, doc.form_line, 8.5, align="right", width=table_w)
    y -= 20
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
    canvas.text(MARGIN_L, y, doc.title.upper(), 13, bold=True, align="center", width=table_w)
    y -= 14
    for line in doc.subtitle:
        canvas.text(MARGIN_L, y, line, 9.5, align="center", width=table_w)
        y -= 12
    return y - 4


def _header(canvas: Canvas, columns: Sequence[Column], xs: list[float], widths: list[float], y: float) -> float:
    """A two-level header: grouped columns under a spanning label, the others spanning both levels."""
    line_h = HEAD_SIZE * LEADING
    grouped = any(c.group for c in columns)
    labels = [wrap(canvas.bold, c.label, widths[i] - 2 * PAD, HEAD_SIZE) for i, c in enumerate(columns)]
    groups: list[tuple[str, int, int]] = []  # (label, first column, last column)
    for i, c in enumerate(columns):
        if c.group and groups and groups[-1][0] == c.group and groups[-1][2] == i - 1:
            groups[-1] = (c.group, groups[-1][1], i)
        elif c.group:
            groups.append((c.group, i, i))
    top_h = (line_h + 2 * PAD) if grouped else 0
    sub_h = max(len(labels[i]) for i in range(len(columns))) * line_h + 2 * PAD
    total = top_h + sub_h
    for i, c in enumerate(columns):
        if c.group:
            canvas.rect(xs[i], y - total, widths[i], sub_h)
            _centered_lines(canvas, labels[i], xs[i], widths[i], y - top_h, sub_h)
        else:
            canvas.rect(xs[i], y - total, widths[i], total)
            _centered_lines(canvas, labels[i], xs[i], widths[i], y, total)
    for label, first, last in groups:
        w = xs[last + 1] - xs[first]
        canvas.rect(xs[first], y - top_h, w, top_h)
        _centered_lines(canvas, [label], xs[first], w, y, top_h)
    return y - total


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
