"""Reading the project's files safely: ordinary files only, never more than a size limit, UTF-8 text.

Files that are empty, too large, binary, not UTF-8 or hold control characters get a clear message with the
line; a symbolic link, a FIFO, a device, a socket or a linked folder where a data file should be is refused
(E107), so nothing outside the project is read and nothing can block a build. Windows (CRLF) and old Mac (CR)
line endings are read as plain line breaks, so line numbers match what an editor shows.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from generator.load.diagnostics import Diagnostic, DiagnosticError

MAX_FILE_BYTES = 2 * 1024 * 1024
"""The largest data file accepted. The real policy is ~40 KB, but a 100-page policy imported from Word
(`python -m generator import`) is ~670 KB; 2 MB leaves room for that and still bounds the work any file
(or a late alias bomb, re-read by PyYAML's Python parser) can cause."""

# Characters no data file should hold: C0/C1 controls (tab and line feed excepted, carriage
# returns are normalised first), and line separators that editors and PyYAML count differently.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_LINE_BREAKS = {"\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}


def read_text(path: Path, display: str) -> str:
    """Read a Markdown or text file with the same size and encoding rules as data files (tabs are allowed)."""
    return _decode(_read_bytes(path, display), display)


def _read_bytes(path: Path, display: str) -> bytes:
    """The file's bytes, read only if it is an ordinary file, and never more than the limit.

    The file is opened without following a symbolic link and without waiting on a FIFO, then
    checked on the open descriptor (so it cannot be swapped between check and read), and read
    until the limit is passed: a size from stat() means nothing for /dev/zero.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise DiagnosticError([Diagnostic(display, 1, 1, "E107", NOT_REGULAR.format(kind="a symbolic link"),
                                              hint=NOT_REGULAR_HINT)])
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101", f"cannot read file: {error.strerror}")])
    try:
        kind = _odd_kind(os.fstat(fd).st_mode)
        if kind:
            raise DiagnosticError([Diagnostic(display, 1, 1, "E107", NOT_REGULAR.format(kind=kind),
                                              hint=NOT_REGULAR_HINT)])
        chunks, total = [], 0
        while total <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except BlockingIOError:
        raise DiagnosticError([Diagnostic(display, 1, 1, "E107", NOT_REGULAR.format(kind="not readable now"),
                                          hint=NOT_REGULAR_HINT)])
    except OSError as error:
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101", f"cannot read file: {error.strerror}")])
    finally:
        os.close(fd)
    if total > MAX_FILE_BYTES:
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101",
                                          f"file is over the limit of {MAX_FILE_BYTES:,} bytes: "
                                          "split it or check it is the right file")])
    raw = b"".join(chunks)
    if not raw.strip():
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101", "file is empty: expected YAML data")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101", "file is saved as UTF-16: save it as UTF-8",
                                          hint="in VS Code, click 'UTF-16' in the status bar, then 'Save with Encoding'")])
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise DiagnosticError([Diagnostic(display, line, 1, "E101",
                                          "file contains binary data (a NUL byte): is this really a text file?")])
    return raw


NOT_REGULAR = "{kind}, not an ordinary file: data files must be ordinary files inside the project"
NOT_REGULAR_HINT = "replace it with a copy of the file itself"


def _odd_kind(mode: int) -> str | None:
    """What a file that is not an ordinary file is, in words; None for an ordinary file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def present(path: Path) -> bool:
    """Is anything but a folder at ``path``? An optional file (sources.yml, trust-overrides.yml) that is a pipe,
    a device or a link is then read, and refused (E107), rather than skipped as if it were not there."""
    try:
        return not stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def list_files(folder: Path, suffixes: tuple[str, ...], root: Path, diagnostics: list[Diagnostic],
               recursive: bool = False) -> list[Path]:
    """The ordinary files in folder whose names end in one of suffixes, sorted; anything else of those
    names (a symbolic link, a FIFO, a device, a socket, or a linked folder) is refused with E107."""
    if folder.is_symlink():
        diagnostics.append(Diagnostic(_display(folder, root) + "/", 1, 1, "E107",
                                      NOT_REGULAR.format(kind="a symbolic link").replace("file", "folder"),
                                      hint="replace it with a copy of the folder itself"))
        return []
    if not folder.is_dir():
        return []
    found = []
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            path = Path(entry.path)
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode) and recursive:
                found += list_files(path, suffixes, root, diagnostics, recursive=True)
            elif stat.S_ISLNK(mode) and recursive and path.suffix.lower() not in suffixes:
                diagnostics.append(Diagnostic(_display(path, root), 1, 1, "E107",
                                              NOT_REGULAR.format(kind="a symbolic link"), hint=NOT_REGULAR_HINT))
            elif path.suffix.lower() in suffixes or path.suffix in suffixes:
                kind = _odd_kind(mode)
                if kind and not stat.S_ISDIR(mode):
                    diagnostics.append(Diagnostic(_display(path, root), 1, 1, "E107", NOT_REGULAR.format(kind=kind),
                                                  hint=NOT_REGULAR_HINT))
                elif not kind:
                    found.append(path)
    return found


def _display(path: Path, root: Path) -> str:
    """A path for messages without resolving symbolic links (whose target may be outside the project)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _decode(raw: bytes, display: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise DiagnosticError([Diagnostic(display, line, column, "E101",
                                          f"file is not UTF-8 (byte 0x{raw[error.start]:02x}): "
                                          "save it as UTF-8 in your editor")])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _BAD_CHARACTER.search(text)
    if bad:
        before = text[: bad.start()]
        line, column = before.count("\n") + 1, bad.start() - (before.rfind("\n") + 1) + 1
        character = bad.group()
        if character in _LINE_BREAKS:
            message = (f"unusual line break U+{ord(character):04X} ({_LINE_BREAKS[character]}), often pasted "
                       "from a word processor: replace it with an ordinary new line")
        else:
            message = (f"file contains the control character U+{ord(character):04X}: "
                       "delete it (it is invisible in most editors)")
        raise DiagnosticError([Diagnostic(display, line, column, "E101", message)])
    return text
