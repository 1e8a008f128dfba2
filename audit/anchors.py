"""Anchors: signed checkpoints kept outside the database, where its user cannot rewrite them.

Everything inside one database can be put back *together* from an older backup — lines, head
and checkpoints all genuine and consistent — so the database alone cannot show a rollback.
A checkpoint that was also written somewhere else can: :meth:`audit.Logboek.verify` given
such *anchors* fails at the first line an anchor knows and the database does not (or knows
differently).

An :class:`AnchorStore` is where ``flask audit checkpoint`` appends each new checkpoint and
where ``flask audit verify`` reads them back. Implemented: :class:`FileAnchorStore`, one JSON
line per checkpoint in a file opened append-only and synced to disk; in production that file
lives on storage the database credentials cannot reach or rewrite (a WORM volume, a file with
``chattr +a``, a mount of another host). An S3-compatible bucket with object lock would be a
second implementation of the same two methods (``append``: one object per checkpoint, put with
a retention date; ``read``: list and get them); it is not built.

Reading anchors also accepts what a person may hold: a single checkpoint as a JSON object, or
a document that carries one under ``"controlepunt"`` (the citizen's download, see
``app/portaal/export.py``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from .records import Checkpoint

# Where a document (the citizen's download) carries its checkpoint.
RECEIPT_KEY = "controlepunt"


class AnchorError(Exception):
    """Anchors that cannot be read (the message says where)."""


class AnchorStore(Protocol):
    """Write-once storage for checkpoints, outside the database."""

    def append(self, checkpoint: Checkpoint) -> None:
        """Store one more checkpoint durably; raise when that did not happen."""

    def read(self) -> list[Checkpoint]:
        """Every checkpoint stored, oldest first (raise :class:`AnchorError` when unreadable)."""

    def describe(self) -> str:
        """Where the anchors are (for messages)."""


class FileAnchorStore:
    """One JSON line per checkpoint, appended to a file (``O_APPEND``, ``fsync``).

    The process only ever opens the file to append, so it works on a file with the
    append-only attribute (``chattr +a``) or on a write-once volume.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def describe(self) -> str:
        return str(self.path)

    def append(self, checkpoint: Checkpoint) -> None:
        created = not self.path.exists()
        if created:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        data = (checkpoint.to_json() + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            written = os.write(fd, data)
            if written != len(data):  # pragma: no cover - a full disk
                raise OSError(f"only {written} of {len(data)} bytes written to {self.path}")
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            # The new file's directory entry must survive a crash too.
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def read(self) -> list[Checkpoint]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise AnchorError(f"de ankers in {self.path} zijn niet te lezen: {exc}") from None
        return parse_anchors(text, where=str(self.path))


def open_store(spec: str) -> AnchorStore:
    """The store a setting names: a file path (optionally ``file:PATH``)."""
    spec = spec.strip()
    if not spec:
        raise AnchorError("geen ankeropslag ingesteld (AUDIT_ANCHOR_STORE)")
    if spec.startswith("s3://"):
        raise AnchorError(
            "een S3-bucket als ankeropslag is nog niet gebouwd; gebruik een bestand op "
            "alleen-aanvulbare opslag (zie docs/logboek.md)"
        )
    if spec.startswith("file:"):
        spec = spec.removeprefix("file:")
    return FileAnchorStore(spec)


def parse_anchors(text: str, *, where: str) -> list[Checkpoint]:
    """Checkpoints from a file's text: one JSON object a line (``flask audit checkpoint``), or
    one JSON document — a checkpoint, a list of them, or a receipt holding one under
    ``"controlepunt"``."""
    stripped = text.strip()
    if not stripped:
        return []
    try:
        whole = json.loads(stripped)
    except ValueError:
        whole = None
    else:
        if isinstance(whole, dict) and RECEIPT_KEY in whole:
            return [_checkpoint(whole[RECEIPT_KEY], f"{where}: {RECEIPT_KEY}")]
        if isinstance(whole, list):
            return [_checkpoint(item, f"{where}: item {n}") for n, item in enumerate(whole, 1)]
        if isinstance(whole, dict):
            return [_checkpoint(whole, where)]
    anchors = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise AnchorError(f"regel {n} van {where} is onleesbaar") from None
        anchors.append(_checkpoint(item, f"regel {n} van {where}"))
    return anchors


def _checkpoint(item: Any, where: str) -> Checkpoint:
    try:
        return Checkpoint.from_dict(item)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise AnchorError(f"{where} is geen leesbaar controlepunt") from None


def newest(anchors: Iterable[Checkpoint]) -> Checkpoint | None:
    """The anchor that reaches furthest (the latest of those)."""
    best: Checkpoint | None = None
    for a in anchors:
        if best is None or (a.seq, a.created_at) > (best.seq, best.created_at):
            best = a
    return best


__all__ = [
    "RECEIPT_KEY",
    "AnchorError",
    "AnchorStore",
    "FileAnchorStore",
    "newest",
    "open_store",
    "parse_anchors",
]
