"""A finished or partial run directory, read without loading any model."""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import UserError
from .manifest import Manifest
from .records import FLAGS, GENERATIONS, LOCK, MANIFEST, Finding, GenerationRecord, read_jsonl, read_records


@dataclass
class RunDir:
    """Paths and lazily read contents of `runs/NAME/`."""

    path: Path
    _findings: list[Finding] | None = field(default=None, repr=False)

    @classmethod
    def open(cls, path: str | Path, need_records: bool = True) -> RunDir:
        """Open an existing run directory; one-line errors when it is not one."""
        p = Path(path)
        if not p.is_dir():
            raise UserError(f"{p}: no such run directory; give the folder that `tunediff run` wrote")
        run = cls(p)
        if need_records and not run.generations_path.is_file():
            raise UserError(f"{run.generations_path}: no generations in this run directory; run `tunediff run` first")
        return run

    @property
    def manifest_path(self) -> Path:
        return self.path / MANIFEST

    @property
    def generations_path(self) -> Path:
        return self.path / GENERATIONS

    @property
    def flags_path(self) -> Path:
        return self.path / FLAGS

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the directory's one-writer lock; a second writer gets a one-line error naming the holder.

        flock goes with the process however it ends (even SIGKILL), so a crashed run never
        leaves the folder locked. The lock file stays: unlinking a flock'd file lets two
        processes lock two different inodes of the same name.
        """
        path = self.path / LOCK
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise
                holder = _holder_pid(fd)
                raise UserError(
                    f"{self.path}: another tunediff run (pid {holder}) is writing to this run directory; "
                    "wait for it to finish or give another --out"
                ) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            yield
        finally:
            os.close(fd)

    @cached_property
    def manifest(self) -> Manifest:
        """run.json, typed (an empty Manifest when the folder has none yet)."""
        return Manifest.read(self.manifest_path)

    @cached_property
    def records(self) -> list[GenerationRecord]:
        recs = read_records(self.generations_path) if self.generations_path.is_file() else []
        if not recs and self.generations_path.is_file():
            raise UserError(f"{self.generations_path}: empty; the run produced no generations yet")
        order = {name: i for i, name in enumerate(self.variant_names_from_manifest())}
        prompt_order = {pid: i for i, pid in enumerate(self.manifest.prompt_ids)}
        recs.sort(key=lambda r: (prompt_order.get(r.id, len(prompt_order)), r.id, r.setting,
                                 order.get(r.variant, len(order)), r.variant, r.sample))
        return recs

    def variant_names_from_manifest(self) -> list[str]:
        return self.manifest.variant_names

    @property
    def variants(self) -> list[str]:
        """Variant names in manifest order (base first), then any others seen in records."""
        names = self.variant_names_from_manifest()
        for rec in self.records:
            if rec.variant not in names:
                names.append(rec.variant)
        return names

    def _repr_html_(self) -> str:
        """Jupyter's display: the report's summary and side-by-side pairs, with filters."""
        from .views.notebook import notebook_html

        return notebook_html(self)

    @property
    def base_variant(self) -> str:
        """The variant every other one is compared with: the manifest's `kind: base` entry, else
        one named `base`, else the first (a served run names its own). Flags and views use this."""
        for entry in self.manifest.variants:
            if entry.kind == "base":
                return entry.name
        names = self.variants if self.generations_path.is_file() else self.variant_names_from_manifest()
        return "base" if "base" in names or not names else names[0]

    @property
    def findings(self) -> list[Finding]:
        """Findings from flags.jsonl (empty when the run has not been flagged)."""
        if self._findings is None:
            if self.flags_path.is_file():
                self._findings = [_finding(self.flags_path, n, obj) for n, obj in read_jsonl(self.flags_path, True)]
            else:
                self._findings = []
        return self._findings


def _holder_pid(fd: int) -> str:
    """The pid the lock holder wrote; it writes it just after locking, so allow it a moment."""
    for _ in range(25):
        pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if pid:
            return pid
        time.sleep(0.02)
    return "unknown"


class RunPath(type(Path())):  # type: ignore[misc]  # mypy cannot subclass the Path class chosen at run time
    """The path `tunediff.run` returns: a plain `Path` everywhere, and the run's summary and
    side-by-side pairs when a notebook displays it."""

    def _repr_html_(self) -> str:
        return RunDir.open(self)._repr_html_()


def _finding(path: Path, number: int, obj: dict[str, Any]) -> Finding:
    try:
        return Finding.model_validate(obj)
    except ValidationError as exc:
        err = exc.errors()[0]
        field_name = ".".join(str(p) for p in err["loc"]) or "finding"
        raise UserError(
            f"{path}:{number}: field '{field_name}': {err['msg']}; "
            f"recompute with `tunediff flags {path.parent} --recompute`"
        ) from None


# ---------------------------------------------------------------------------- writing a run directory


def make_run_dir(out: Path) -> None:
    """Create the run directory; a path that cannot be one is a one-line error."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        if out.is_symlink():
            raise UserError(f"--out {out}: a symbolic link to {os.readlink(out)}, which does not exist; "
                            "create that folder or give another --out") from None
        raise UserError(f"--out {out}: is a file; a run directory is a folder; give another --out") from None
    except NotADirectoryError:
        raise UserError(f"--out {out}: part of this path is a file, not a folder; give another --out") from None
    except OSError as exc:
        raise UserError(f"--out {out}: cannot create this folder ({exc.strerror}); give another --out") from None


def remove_if_unused(out: Path) -> None:
    """Remove a run directory this process created when nothing but its lock file got into it."""
    if {p.name for p in out.iterdir()} <= {LOCK}:
        (out / LOCK).unlink(missing_ok=True)
        out.rmdir()


def drop_torn_tail(path: Path) -> None:
    """Cut a last line that a kill tore: no newline yet, or half a UTF-8 character."""
    data = path.read_bytes()
    keep = len(data)
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
    last_start = data.rfind(b"\n", 0, max(keep - 1, 0)) + 1
    try:
        data[last_start:keep].decode("utf-8")
    except UnicodeDecodeError:
        keep = last_start
    if keep == len(data):
        return
    with open(path, "r+b") as fh:
        fh.truncate(keep)
        fh.flush()
        os.fsync(fh.fileno())
