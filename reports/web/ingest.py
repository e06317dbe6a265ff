"""The Ingest page: drop files (kept under <kb>/uploads/) or name a folder on the server, and watch the
same pipeline as `scrutiny ingest` work through them. The pipeline runs as that command in its own process
(spaCy and the embedding model never load into the server; one bad file cannot sink it); its per-file
lines are read as they come: stored, unchanged, skipped or failed, each with its reason."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile

from kb.store import files_home
from reports.web.core import render, require_csrf, require_editor

router = APIRouter()
writes = APIRouter(dependencies=[Depends(require_csrf)])
ROOT = Path(__file__).resolve().parents[2]
LINE_RE = re.compile(r"^(ingested|updated|renamed|unchanged|skipped|failed)\s+(.+?)(?: \((.*)\))?$")
FAILED_RE = re.compile(r"^FAILED (.+?): (.*)$")
SUMMARY_RE = re.compile(r"^\d+ ingested, .* in [\d.]+s$")


@dataclass
class Job:
    id: str
    by: str
    paths: list[str]
    total: int
    started: float = field(default_factory=time.time)
    files: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summary: str | None = None
    returncode: int | None = None
    finished: float | None = None

    @property
    def running(self) -> bool:
        return self.returncode is None

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.files:
            out[f["status"]] = out.get(f["status"], 0) + 1
        return out

    def seconds(self) -> int:
        return int((self.finished or time.time()) - self.started)


class Jobs:
    """The ingests this server started (the newest first); one runs at a time (the KB's writer lock)."""

    def __init__(self, home: Path):
        from kb.store import kb_location

        self.home = kb_location(home)
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()

    def start(self, paths: list[str], by: str, on_done=None) -> Job:
        from ingest.discover import discover

        with self.lock:
            if any(j.running for j in self.jobs.values()):
                raise HTTPException(409, "An ingest is already running; wait for it to finish.")
            tasks, problems = discover(paths)
            job = Job(uuid.uuid4().hex[:12], by, paths, len(tasks) + len(problems))
            self.jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, on_done), daemon=True, name=f"ingest-{job.id}").start()
        return job

    def _run(self, job: Job, on_done) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
        cmd = [sys.executable, "-m", "cli", "--kb", str(self.home), "ingest", *job.paths]
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                                    stdin=subprocess.DEVNULL)  # in the server's folder, as a typed path means
            for line in proc.stderr:
                read_line(job, line.rstrip("\n"))
            job.returncode = proc.wait()
        except OSError as e:
            job.notes.append(f"could not start the ingest: {e}")
            job.returncode = -1
        job.finished = time.time()
        if on_done:
            on_done(job)

    def get(self, job_id: str) -> Job:
        job = self.jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f'No ingest "{job_id}" (this server has forgotten it, or never ran it).')
        return job

    def recent(self) -> list[Job]:
        return sorted(self.jobs.values(), key=lambda j: -j.started)


def read_line(job: Job, line: str) -> None:
    """One line of `scrutiny ingest`'s report: a file's outcome, a failure with its reason, or the summary."""
    m = FAILED_RE.match(line)
    if m:
        job.files.append({"status": "failed", "source": m.group(1), "reason": m.group(2)})
        return
    m = LINE_RE.match(line)
    if m:
        job.files.append({"status": m.group(1), "source": m.group(2), "reason": m.group(3)})
        return
    if SUMMARY_RE.match(line):
        job.summary = line
    elif line.strip() and not line.startswith(("Failed files:", "Skipped files:", "  ")):
        job.notes.append(line.strip())


def safe_name(name: str | None) -> str:
    """A file name kept from an upload: its last part, no leading dots, no odd characters."""
    base = Path((name or "").replace("\\", "/")).name.lstrip(".")
    base = re.sub(r"[^\w.\- ()]+", "_", base).strip()
    return base[:120] or "upload"


async def save_uploads(files: list[UploadFile], folder: Path, max_mb: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for f in files:
        if not f.filename:
            continue
        dest = folder / safe_name(f.filename)
        size = 0
        with open(dest, "wb") as out:
            while chunk := await f.read(1 << 20):
                size += len(chunk)
                if size > max_mb << 20:
                    out.close()
                    dest.unlink()
                    raise HTTPException(413, f'"{f.filename}" is larger than {max_mb} MB.')
                out.write(chunk)
        saved.append(str(dest))
    return saved


@router.get("/ingest")
def ingest_page(request: Request):
    st = request.app.state
    return render(request, "ingest.html", title="Ingest", jobs=st.jobs.recent(), errors={},
                  server_paths=server_paths_allowed(request))


def server_paths_allowed(request: Request) -> bool:
    """On the officer's own machine, any folder; on a shared server only an admin may name a server path."""
    u = request.state.user
    return (not request.app.state.settings.sign_in) or bool(u and u["role"] == "admin")


@writes.post("/ingest")
async def start_ingest(request: Request, user: dict = Depends(require_editor)):
    from kb.users import log

    st = request.app.state
    form = await request.form()
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    folder = str(form.get("path") or "").strip()
    errors = {}
    if folder and not server_paths_allowed(request):
        errors["path"] = "Only an admin may ingest a folder on the server; upload the files instead."
    elif folder and not Path(folder).exists():
        errors["path"] = f'There is no file or folder "{folder}" on the server.'
    elif not folder and not uploads:
        errors["files"] = "Choose one or more files, or name a folder on the server."
    if errors:
        return render(request, "ingest.html", status_code=400, title="Ingest", jobs=st.jobs.recent(), errors=errors,
                      server_paths=server_paths_allowed(request))
    paths = [folder] if folder else []
    if uploads:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        paths.append(str(files_home(st.kb.home) / "uploads" / f"{stamp}-{uuid.uuid4().hex[:6]}"))
        await save_uploads(uploads, Path(paths[-1]), st.settings.max_upload_mb)

    def done(job: Job) -> None:
        with st.kb.store() as s:
            log(s, job.by, "ingest", f"{', '.join(job.paths)}: {job.summary or 'exit ' + str(job.returncode)}")

    job = st.jobs.start(paths, user["name"], on_done=done)
    return RedirectResponse(f"/ingest/{job.id}", status_code=303)


@router.get("/ingest/{job_id}")
def job_page(request: Request, job_id: str):
    job = request.app.state.jobs.get(job_id)
    return render(request, "ingest_job.html", title="Ingest progress", job=job)


@router.get("/ingest/{job_id}/progress")
def job_progress(request: Request, job_id: str):
    """The progress panel alone (the page polls it while the ingest runs)."""
    job = request.app.state.jobs.get(job_id)
    return render(request, "_ingest_progress.html", job=job)
