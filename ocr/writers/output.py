"""Put output where the user pointed, as a shell's ``>`` would, with no half-written file.

* ``"-"`` is standard output.
* A FIFO, a character or block device (``/dev/null``, a terminal) is opened and
  written through, never replaced.
* A symbolic link is followed: its target is written (a dangling link's target
  is created).
* A regular file (or a new one) is written through a temporary file in the same
  folder and renamed over the target, so a reader never sees half a file. An
  existing file keeps its mode (and, where allowed, its owner); a new file gets
  ``0o666`` less the umask, as ``>`` gives.

:func:`check_output` tells before any page is read whether a path can be
written this way.
"""
import os
import secrets
import stat
import sys

STDOUT = "-"
NEW_FILE_MODE = 0o666
"""Mode asked for a new file; the process umask takes its bits away (as for a shell's ``>``)."""


class OutputError(OSError):
    """An output path that cannot be written (one-line message)."""


def write_output(path, data):
    """Write ``data`` to ``path`` as described in the module docstring.

    Parameters
    ----------
    path : str or os.PathLike
        ``"-"`` for standard output, a file, a symbolic link, a FIFO or a device.
    data : str or bytes
        A str is written as UTF-8; a file name's bytes that were not UTF-8 (lone
        surrogates, ``os.fsdecode``) are written back as those bytes.

    Returns
    -------
    str or Path
        ``path`` as given.

    Raises
    ------
    OSError
        The path cannot be written (a folder, a missing folder, no permission, disk full);
        a regular target is then left as it was.
    """
    payload = encoded(data)
    if os.fspath(path) == STDOUT:
        out = sys.stdout.buffer
        out.write(payload)
        out.flush()
        return path
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "Is a directory", os.fspath(path))
    if st is None or stat.S_ISREG(st.st_mode):
        _replace_atomically(real, payload, st)
    else:
        with open(real, "wb") as f:   # FIFO, device: written through, as `>` does
            f.write(payload)
    return path


def encoded(data):
    """``data`` as bytes: a str in UTF-8, undecodable file-name bytes restored (``surrogateescape``)."""
    return data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data)


def write_atomic(path, data):
    """Write str or bytes to ``path`` (see :func:`write_output`; kept for callers of the earlier name)."""
    return write_output(path, data)


def check_output(path):
    """Raise :class:`OutputError` unless :func:`write_output` can write ``path`` (nothing is left behind).

    A regular or new file needs a writable existing folder (a temporary file is
    created there and removed, which also catches read-only and immutable
    folders as root); a FIFO or device needs write permission; a folder is refused.
    """
    if os.fspath(path) == STDOUT:
        return
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path}: is a folder; give a file name")
    if st is not None and not stat.S_ISREG(st.st_mode):
        if not os.access(real, os.W_OK):
            raise OutputError(f"{path}: cannot write (Permission denied)")
        return
    folder = os.path.dirname(real) or "."
    if not os.path.isdir(folder):
        raise OutputError(f"{path}: cannot write (no folder {folder})")
    check_folder(folder, label=path)


def check_folder(folder, label=None):
    """Raise :class:`OutputError` unless a file can be created in ``folder`` (tried, then removed).

    ``label`` names the output in the message (default: the folder).
    """
    label = folder if label is None else label
    if not os.path.isdir(folder):
        raise OutputError(f"{label}: cannot write ({'not a folder' if os.path.exists(folder) else 'no such folder'})")
    try:
        fd, tmp = _new_temporary(folder, ".handocr-probe")
    except OSError as exc:
        raise OutputError(f"{label}: cannot write ({exc.strerror or exc})") from None
    os.close(fd)
    os.unlink(tmp)


def _new_temporary(folder, prefix):
    """``(fd, name)`` of a new file in ``folder``, mode ``NEW_FILE_MODE`` less the umask."""
    for _ in range(100):
        tmp = os.path.join(folder, f"{prefix}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                           NEW_FILE_MODE), tmp
        except FileExistsError:
            continue
    raise FileExistsError(17, "cannot create a temporary file", folder)


def _replace_atomically(real, payload, st):
    folder, name = os.path.split(real)
    fd, tmp = _new_temporary(folder or ".", f".{name}")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
            if st is not None:
                os.fchmod(f.fileno(), stat.S_IMODE(st.st_mode))
                try:
                    os.fchown(f.fileno(), st.st_uid, st.st_gid)
                except OSError:
                    pass
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise

