"""Where an import stands, on disk after every batch, so a rerun resumes there.

The file is replaced atomically, so a kill at any moment leaves the previous or the
next state, never half of one. Rows of a batch that was sent but not yet recorded
are sent again on resumption; their Idempotency-Keys make the API answer them from
its records instead of storing them twice.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from operators.importing.report import Rejection


@dataclass
class Checkpoint:
    """Progress of one import of one file (identified by its SHA-256)."""

    path: Path
    digest: str
    kind: str
    rows_done: int = 0
    stored: int = 0
    replayed: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    resumed: bool = False

    @classmethod
    def open(cls, path: Path, *, digest: str, kind: str, restart: bool = False) -> Checkpoint:
        """The saved state of this file and kind, or a fresh one."""
        if restart or not path.exists():
            return cls(path, digest, kind)
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.get("digest") != digest or saved.get("kind") != kind:
            # Another file (or an edited one): start over; unchanged rows keep their keys.
            return cls(path, digest, kind)
        return cls(
            path,
            digest,
            kind,
            rows_done=saved["rows_done"],
            stored=saved["stored"],
            replayed=saved["replayed"],
            rejections=[Rejection(**r) for r in saved["rejections"]],
            resumed=True,
        )

    @property
    def rejected_rows(self) -> int:
        """How many rows were refused (a row may have several rejected fields)."""
        return len({r.row for r in self.rejections})

    def save(self) -> None:
        """Write the state atomically."""
        state = {
            "digest": self.digest,
            "kind": self.kind,
            "rows_done": self.rows_done,
            "stored": self.stored,
            "replayed": self.replayed,
            "rejections": [asdict(r) for r in self.rejections],
        }
        temporary = self.path.with_name(self.path.name + ".tmp")
        with temporary.open("w", encoding="utf-8") as out:
            json.dump(state, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path)

    def finish(self) -> None:
        """The import is complete: nothing left to resume."""
        self.path.unlink(missing_ok=True)
