"""What the browser tests of a real day on the demo data share: the demo built small, signing in as one of
its logins, and screenshots kept when an environment variable names a folder."""

from __future__ import annotations

import io
import os
from pathlib import Path

from phucvu.demo import builder

PASSWORD = builder.DEMO_PASSWORD


def build_demo() -> None:
    """The default demo's province and people, with a small history (a few seconds)."""
    builder.build(profile="quangninh-2017", scale=0.0005, seed=7, out=io.StringIO(), quiet=True)


def as_user(page, login, username: str) -> None:
    page.context.clear_cookies()
    login(page, username, PASSWORD)


def shooter(variable: str):
    """`shot(page, name)` saving a full-page screenshot into the folder `$variable` names, if it does."""
    def shot(page, name: str) -> None:
        folder = os.environ.get(variable)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
    return shot
