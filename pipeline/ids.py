"""Stable content-hash identifiers.

Documents keep their file-stem id plus a hash of their bytes; mentions and statements get ids
derived from their content and position, so re-running extraction on the same input yields the
same ids (curator decisions can refer to them across runs).
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of raw bytes."""
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path, chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in chunks so huge files do not need to fit in memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


def doc_id_for(path: Path) -> str:
    """The document id is the source file stem (e.g. ``002_0943a23fd24ffb90``)."""
    return Path(path).stem


def stable_id(prefix: str, *parts: object, length: int = 16) -> str:
    """A short, deterministic id such as ``tri_1a2b3c4d5e6f7a8b`` from the given parts."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return f"{prefix}_{hashlib.sha1(joined.encode('utf-8')).hexdigest()[:length]}"
