"""Make sure Debian's Chromium is installed: the dashboard's browser test drives it.

    .venv/bin/python -m deploy.local.chromium

Idempotent: does nothing when /usr/bin/chromium exists; otherwise `apt-get install -y
chromium` (after `apt-get update` if the package is not found). Playwright's own browser
downloads are never used.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from deploy.local.common import StackError, apt_install

CHROMIUM = Path("/usr/bin/chromium")


def ensure_chromium(log: Path) -> str:
    """Install Chromium when it is missing; say what happened."""
    if CHROMIUM.exists():
        return f"chromium  {CHROMIUM} present"
    apt_install("chromium", log)
    if not CHROMIUM.exists():
        raise StackError(f"apt-get installed chromium but {CHROMIUM} is missing")
    return f"chromium  {CHROMIUM} installed"


def main() -> int:
    """Entry point of `python -m deploy.local.chromium`."""
    stack_dir = Path(os.environ.get("STACK_DIR", Path(__file__).resolve().parents[2] / ".local"))
    try:
        print(ensure_chromium(stack_dir / "logs" / "chromium-install.log"))
    except StackError as exc:
        print(f"chromium  failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
