"""Users' files in and out: one-line errors that name the file (and line) and say what to do.

Every reader of a user's text file decodes through `decode_utf8`, and every writer of a
user-chosen path goes through `writing`, so a bad byte or a read-only folder reads the same
in every command.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UserError


def decode_utf8(path: str | Path, raw: bytes, first_line: int = 1) -> str:
    """`raw` as text; a byte that is not UTF-8 is an error naming its line and column."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + raw.count(b"\n", 0, exc.start)
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UserError(
            f"{path}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {column}); "
            f"save the file as UTF-8, e.g. iconv -f latin1 -t utf-8 {path} > fixed"
        ) from None


def read_utf8(path: str | Path) -> str:
    """A user's text file, decoded; unreadable or not UTF-8 is a one-line error."""
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder; give a file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    return decode_utf8(path, raw)


ELSEWHERE = "write elsewhere with --out PATH"


def cannot_write(path: str | Path, exc: OSError, elsewhere: str = ELSEWHERE) -> UserError:
    """Why `path` could not be written, and what to do instead (`elsewhere`: how to write it elsewhere)."""
    code = exc.errno
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        why = f"the folder {Path(path).parent} is read-only ({exc.strerror}); {elsewhere}"
    elif code == errno.EISDIR or Path(path).is_dir():
        why = "that is a folder; give a file name in it instead"
    elif code in (errno.ENOENT, errno.ENOTDIR):
        why = f"the folder {Path(path).parent} does not exist or is a file; create it or give another path"
    elif code == errno.ENOSPC:
        why = f"the disk is full; free space or {elsewhere}"
    else:
        why = f"{exc.strerror}; {elsewhere}"
    return UserError(f"{path}: cannot write: {why}")


@contextmanager
def writing(path: str | Path, elsewhere: str = ELSEWHERE) -> Iterator[None]:
    """Turn an OSError while writing `path` into the one-line error of `cannot_write`."""
    if Path(path).is_dir():
        raise cannot_write(path, IsADirectoryError(errno.EISDIR, "Is a directory"), elsewhere)
    try:
        yield
    except OSError as exc:
        raise cannot_write(path, exc, elsewhere) from None
