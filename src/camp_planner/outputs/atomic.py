"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every output the coordinator opens (roster.json, roster.xlsx, invitations, the map) is
written to a temporary file in the target's own folder and moved onto the target with
:func:`os.replace` only once it is complete. A failure part-way leaves the previous file
untouched and no temporary file behind. Parent folders are created as needed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text"]


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Read once at import: files get the permissions a plain ``open(path, "w")`` would give.
_UMASK = _current_umask()


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable; not all platforms allow opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `path`; move it onto `path` when the block succeeds.

    For libraries that insist on writing to a file name themselves (openpyxl, folium).
    The temporary name keeps the target's suffix (``.roster.x1y2.tmp.xlsx``) so libraries
    that choose a format by extension still work. On an exception the temporary file is
    deleted, the target is left as it was and the exception propagates.

    Args:
        path: The final file.

    Yields:
        The temporary file's path (an empty file already exists there).

    Example:
        >>> with atomic_path("out/roster.xlsx") as tmp:  # doctest: +SKIP
        ...     workbook.save(tmp)
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}"
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if not tmp.exists():
            raise FileNotFoundError(f"nothing was written to the temporary file {tmp}")
        os.chmod(tmp, 0o666 & ~_UMASK)
        _fsync_file(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(target.parent)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` atomically.

    Args:
        path: The final file; its parent folders are created.
        data: The complete content.

    Returns:
        The path written, as a :class:`~pathlib.Path`.
    """
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` atomically (UTF-8 by default, newlines as given).

    Args:
        path: The final file; its parent folders are created.
        text: The complete content.
        encoding: Text encoding, e.g. ``"utf-8-sig"`` for CSV files Excel should read.

    Returns:
        The path written, as a :class:`~pathlib.Path`.
    """
    return atomic_write_bytes(path, text.encode(encoding))
