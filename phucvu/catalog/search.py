"""Ranked procedure search for citizens: accent- and case-insensitive, everyday words ignored, words run
together split, and the words of a Vietnamese compound kept together (docs/portal.md "Search").

Pure functions over folded text (`core.text.fold`); `selectors.procedure_ranked` feeds them the catalogue.
The same code runs whatever the database (SQLite or PostgreSQL): the catalogue of a province is a few
thousand short names, scored in memory.

- **Everyday words** ("làm", "giấy", "xin", "cấp", "thủ tục", "như thế nào"…) are not required: "làm giấy
  khai sinh" looks for "khai sinh". When a query has nothing else, they are looked for after all.
- **Words run together** ("khaisinh", "dangkykethon"): a token that is not a word of the catalogue is cut
  into catalogue words (the fewest pieces).
- **Compounds** ("chứng thực", "khai sinh", "kết hôn"): two query words that stand side by side somewhere
  in the catalogue are a phrase and must stand side by side in the name too, so "chứng thực" does not find
  "Cấp giấy chứng nhận … an toàn thực phẩm". Two words never side by side anywhere ("sinh nước") are
  looked for apart.
- **Ranking**: phrases found in the name (longer phrases weigh more), then the share of the name the query
  covers (so "Đăng ký khai sinh" comes before "Đăng ký khai sinh có yếu tố nước ngoài"), a name that starts
  with the query, then the field's name; the last word may be a prefix (typing in progress).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from phucvu.core.text import fold

# Folded. Phrases first: they are removed before single words.
EVERYDAY = (
    "thu tuc", "nhu the nao", "the nao", "o dau", "bao lau", "can gi", "muon", "toi", "minh", "lam", "giay",
    "xin", "cap", "can", "gi", "cho", "de", "ve", "o", "va", "hay", "nhe", "a", "oi", "ho so",
)
_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)*")


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@dataclass
class Vocabulary:
    """The catalogue's words and the pairs of words that stand side by side in some name."""

    words: set[str] = field(default_factory=set)
    pairs: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def of(cls, texts: Iterable[str]) -> Vocabulary:
        vocab = cls()
        for text in texts:
            ws = words(text)
            vocab.words.update(ws)
            vocab.pairs.update(zip(ws, ws[1:], strict=False))
        return vocab


def split_run_together(token: str, vocab: Vocabulary) -> list[str]:
    """'khaisinh' -> ['khai', 'sinh'] with the fewest catalogue words; the token itself when it is a word
    or cannot be cut."""
    if token in vocab.words or len(token) < 4:
        return [token]
    best: list[list[str] | None] = [None] * (len(token) + 1)
    best[0] = []
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - 8), end):  # a Vietnamese syllable has at most 7 letters
            head = best[start]
            piece = token[start:end]
            if head is not None and piece in vocab.words and (best[end] is None or len(head) + 1 < len(best[end])):
                best[end] = [*head, piece]
    return best[-1] or [token]


@dataclass
class Query:
    phrases: list[list[str]]  # required, each contiguous in the name
    everyday: list[str]  # optional, a small bonus
    text: str  # the folded query, for an exact code or name
    last_prefix: bool  # the last word may be a prefix (as-you-type)

    @property
    def empty(self) -> bool:
        return not self.phrases


def parse(query: str, vocab: Vocabulary, *, as_you_type: bool = True) -> Query:
    text = " ".join(words(query))
    padded = f" {text} "
    everyday: list[str] = []
    for phrase in EVERYDAY:
        if f" {phrase} " in padded:
            everyday.extend(phrase.split())
            padded = padded.replace(f" {phrase} ", " | ")
    tokens: list[list[str]] = [[]]
    for token in padded.split():
        if token == "|":
            tokens.append([])
        else:
            tokens[-1].extend(split_run_together(token, vocab))
    runs = [run for run in tokens if run]
    if not runs and everyday:  # nothing but everyday words: look for them after all
        runs, everyday = [words(query)], []
    phrases: list[list[str]] = []
    for r, run in enumerate(runs):
        current = [run[0]]
        for i, word in enumerate(run[1:], start=1):
            typing = as_you_type and r == len(runs) - 1 and i == len(run) - 1
            if (current[-1], word) in vocab.pairs or (typing and any(
                    a == current[-1] and b.startswith(word) for a, b in vocab.pairs)):
                current.append(word)
            else:
                phrases.append(current)
                current = [word]
        phrases.append(current)
    return Query(phrases=phrases, everyday=everyday, text=text, last_prefix=as_you_type)


def _find(phrase: list[str], ws: list[str], *, prefix_last: bool) -> int:
    """Index where the phrase stands in the words, or -1."""
    n = len(phrase)
    for i in range(len(ws) - n + 1):
        if ws[i:i + n - 1] == phrase[:-1]:
            last = ws[i + n - 1]
            if last == phrase[-1] or (prefix_last and last.startswith(phrase[-1])):
                return i
    return -1


def score(q: Query, name: str, field_name: str = "", code: str = "") -> float:
    """0 when the procedure does not match; higher is better."""
    return score_words(q, words(name), words(field_name), fold(code))


def score_words(q: Query, ws: list[str], fs: list[str], code: str) -> float:
    """`score` on words already folded and split (the catalogue keeps them between searches)."""
    if q.text and code and q.text == code:
        return 1000.0
    if not ws:
        return 0.0
    total, covered, first = 0.0, 0, False
    for index, phrase in enumerate(q.phrases):
        prefix = q.last_prefix and index == len(q.phrases) - 1
        at = _find(phrase, ws, prefix_last=prefix)
        if at >= 0:
            total += 10.0 * len(phrase) + 4.0 * (len(phrase) - 1)
            covered += len(phrase)
            first = first or at == 0
        elif _find(phrase, fs, prefix_last=prefix) >= 0:
            total += 3.0 * len(phrase)
        else:
            return 0.0
    total += sum(1.0 for w in q.everyday if w in ws)
    total += 10.0 * covered / len(ws)  # "Đăng ký khai sinh" before "Đăng ký khai sinh có yếu tố nước ngoài"
    if first:
        total += 2.0
    if q.text and " ".join(ws) == q.text:
        total += 50.0
    return total
