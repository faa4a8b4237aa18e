"""Static files storage for production: WhiteNoise's compressed, fingerprinted files."""

from __future__ import annotations

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


def _pattern_text(pattern: str | tuple[str, str]) -> str:
    return pattern if isinstance(pattern, str) else pattern[0]


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Like WhiteNoise's, without rewriting source-map comments: the vendored minified files (Bootstrap,
    Chart.js) name `.map` files we do not ship, and a browser simply does without them."""

    patterns = tuple(
        (glob, tuple(p for p in found if "sourceMappingURL" not in _pattern_text(p)))
        for glob, found in ManifestStaticFilesStorage.patterns
    )
