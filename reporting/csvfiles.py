"""Writing export files safely: UTF-8 CSV, spreadsheet-injection neutralised, nothing partial left behind."""

import csv
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    if text.startswith(INJECTION_PREFIXES) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[Iterable]) -> int:
    """Stream ``rows`` to ``path``; returns the number of data rows."""
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(list(columns))
        for row in rows:
            writer.writerow([neutralise(cell) for cell in row])
            count += 1
    return count


@contextmanager
def staged_directory(final: Path) -> Iterator[Path]:
    """Write into a scratch folder beside ``final`` and move it into place only when everything succeeded.

    A failure (the disk full, a bug) leaves no partial files where they could be downloaded.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=final.parent))
    try:
        yield scratch
        for path in scratch.iterdir():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        if final.exists():
            shutil.rmtree(final)
        scratch.rename(final)
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)
