"""Puts Pagefind's filter index in a stable order, so two builds of the same sources are byte-identical.

Pagefind writes the values of each filter, and the list of filters, in hash-map order, which
changes from run to run (upstream: Pagefind/pagefind#638, "filter/metadata indexes" still vary).
Here the filter files and the language's meta file are decoded (gzip + a small CBOR subset),
their lists sorted, and the files re-encoded and renamed by the hash of their new content.
Only the order changes: the same values and page numbers, so the search works the same.
Anything not understood is left exactly as Pagefind wrote it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

MAGIC = b"pagefind_dcd"


class Unknown(ValueError):
    """A CBOR item outside the subset Pagefind's index uses (ints, text, arrays)."""


def _head(data: bytes, pos: int) -> tuple[int, int, int]:
    major, info = data[pos] >> 5, data[pos] & 31
    if info < 24:
        return major, info, pos + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        raise Unknown(f"CBOR info {info}")
    return major, int.from_bytes(data[pos + 1:pos + 1 + size], "big"), pos + 1 + size


def decode(data: bytes, pos: int = 0):
    """(value, next position) for unsigned ints, text and arrays."""
    major, arg, pos = _head(data, pos)
    if major == 0:
        return arg, pos
    if major == 3:
        return data[pos:pos + arg].decode("utf-8"), pos + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, pos = decode(data, pos)
            items.append(item)
        return items, pos
    raise Unknown(f"CBOR major type {major}")


def _encode_head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 256 ** size:
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise Unknown("integer too large")


def encode(value) -> bytes:
    if isinstance(value, int):
        return _encode_head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _encode_head(3, len(raw)) + raw
    return _encode_head(4, len(value)) + b"".join(encode(item) for item in value)


def _read(path: Path):
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise Unknown(f"{path.name} is not a Pagefind file")
    value, end = decode(raw, len(MAGIC))
    if end != len(raw) or MAGIC + encode(value) != raw:
        raise Unknown(f"{path.name} does not round-trip")
    return value


def _write(folder: Path, prefix: str, value, digits: int, suffix: str) -> str:
    """Write value as a Pagefind file named by its content hash; returns the hash part of the name."""
    raw = MAGIC + encode(value)
    name = f"{prefix}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(raw, mtime=0))
    return name


def stabilize(bundle: Path) -> None:
    """Sort the filter indexes of every language in `bundle` (the /pagefind/ folder) in place."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in sorted(entry["languages"].items()):
        try:
            info["hash"] = _stabilize_language(bundle, language, info["hash"])
        except (Unknown, OSError, IndexError, KeyError, TypeError, ValueError):
            continue  # leave this language as Pagefind wrote it: still correct, only not reproducible
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _is_filter_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(i, list) and len(i) == 2 and all(isinstance(s, str) for s in i) for i in value)


def _stabilize_language(bundle: Path, language: str, meta_hash: str) -> str:
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = _read(meta_path)
    slot = next((i for i, part in enumerate(meta) if _is_filter_list(part)), None)
    if slot is None:
        return meta_hash  # a site without filters: nothing in random order
    renamed = []
    for name, file_hash in meta[slot]:
        path = bundle / "filter" / f"{file_hash}.pf_filter"
        filter_name, values = _read(path)
        new = _write(path.parent, language, [filter_name, sorted(values, key=lambda v: v[0])],
                     len(file_hash) - len(language) - 1, ".pf_filter")
        if new != file_hash:
            path.unlink()
        renamed.append([name, new])
    meta[slot] = sorted(renamed)
    new_meta = _write(bundle, f"pagefind.{language}", meta, len(meta_hash) - len(language) - 1, ".pf_meta")
    if new_meta != f"pagefind.{meta_hash}":
        meta_path.unlink()
    return new_meta.removeprefix("pagefind.")
