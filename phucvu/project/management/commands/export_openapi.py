"""`phucvu export_openapi [FILE]`: write the JSON API's OpenAPI schema (committed as docs/openapi.json)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from phucvu.api import api


def openapi_text() -> str:
    """The schema as committed: sorted keys, two-space indent, UTF-8 text, so diffs stay readable."""
    schema = api.get_openapi_schema(path_prefix="/api/")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"


class Command(BaseCommand):
    help = "Xuất lược đồ OpenAPI của API JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", default="", help="tệp đích (mặc định: in ra màn hình)")

    def handle(self, *args, file: str, **options) -> None:
        text = openapi_text()
        if file:
            Path(file).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Đã ghi {file}"))
        else:
            self.stdout.write(text, ending="")
