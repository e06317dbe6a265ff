"""Legacy office files (.doc .ppt .odt .odp .rtf) converted to DOCX or PPTX with LibreOffice in headless
mode, then read by the DOCX and PPTX parsers.

Each conversion runs ``soffice --headless --convert-to docx|pptx`` in a temporary folder with its own user
profile (``-env:UserInstallation``: conversions side by side never share, or wait on, a profile lock), in a
process group of its own that is killed whole when the conversion outlasts its time limit. Without
LibreOffice the file is skipped with today's message ("convert to DOCX").
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from ingest.model import ParseError

# legacy kind (ingest.parsers.LEGACY key) -> the format LibreOffice converts it to
CONVERTIBLE = {".doc": "docx", ".dot": "docx", ".odt": "docx", ".rtf": "docx",
               ".ppt": "pptx", ".pps": "pptx", ".odp": "pptx"}
CONVERT_TIMEOUT = 180.0  # seconds one conversion may take when the file's own limit allows more
MIN_TIMEOUT = 5.0
INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui "
                "libreoffice-impress-nogui)")


def soffice_path() -> str | None:
    """LibreOffice's soffice (or SCRUTINY_SOFFICE; "none" turns conversion off), else None."""
    named = os.environ.get("SCRUTINY_SOFFICE")
    if named is not None:
        return None if named.lower() in ("", "none", "off") else shutil.which(named)
    return shutil.which("soffice") or shutil.which("libreoffice")


def _timeout(deadline: float | None) -> float:
    if deadline is None:
        return CONVERT_TIMEOUT
    left = deadline - time.monotonic()
    if left < MIN_TIMEOUT:
        raise ParseError("no time left in the file's time limit to convert it with LibreOffice "
                         "(raise --file-timeout)")
    return min(CONVERT_TIMEOUT, left)


def convert(data: bytes, kind: str, name: str, deadline: float | None = None) -> bytes:
    """The bytes of a legacy file of `kind` (".doc", ...) converted to DOCX or PPTX. Raises ParseError
    with LibreOffice's reason where it cannot convert the file or runs past the time limit."""
    soffice = soffice_path()
    if soffice is None:
        raise ParseError(f"LibreOffice is not installed; {INSTALL_HINT}")
    target = CONVERTIBLE[kind]
    limit = _timeout(deadline)
    with tempfile.TemporaryDirectory(prefix="scrutiny-soffice-") as tmp:
        folder = Path(tmp)
        src = folder / f"in{kind}"
        src.write_bytes(data)
        out = folder / "out"
        cmd = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--nodefault", "--nologo", "--convert-to", target, "--outdir", str(out), str(src)]
        env = {**os.environ, "HOME": str(folder), "SAL_USE_VCLPLUGIN": "svp"}
        _run(cmd, env, limit, name)
        produced = out / f"in.{target}"
        if not produced.is_file() or not produced.stat().st_size:
            raise ParseError(f"LibreOffice could not convert it to {target.upper()} (damaged, or not a "
                             f"{kind} file)")
        return produced.read_bytes()


def _run(cmd: list[str], env: dict, limit: float, name: str) -> None:
    """Run soffice in a process group of its own; the whole group killed when it outlasts `limit`."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=env, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise ParseError(f"LibreOffice took longer than {limit:.3g} s to convert it") from None
    except BaseException:
        _kill_group(proc)
        raise
    if proc.returncode != 0:
        said = (output or b"").decode("utf-8", "replace").strip().splitlines()
        raise ParseError(f"LibreOffice failed to convert it (exit {proc.returncode}"
                         f"{': ' + said[-1][:160] if said else ''})")


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()

