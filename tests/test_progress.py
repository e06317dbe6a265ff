"""One progress display for every stage of an ingest (reading files, embedding passages) with counts
and the time left; the closing summary gives the whole time, embedding included."""
from __future__ import annotations

import io
import re
import time

import numpy as np
from click.testing import CliRunner

from cli.main import cli
from cli.progress import StageProgress
from tests.conftest import CORPUS


def test_off_a_terminal_each_stage_says_its_counts_and_the_time_left(capsys):
    shown = StageProgress(tty=False, every=0)
    shown.stage("embedding passages")
    shown.update(0, 100)
    time.sleep(0.05)
    shown.update(50)
    shown.update(100)
    shown.stop()
    err = capsys.readouterr().err
    assert "embedding passages: 50/100, about" in err and "s left" in err
    assert "embedding passages: 100/100" in err
    assert set(shown.times) == {"embedding passages"}


def test_on_a_terminal_it_is_one_bar_per_stage_with_counts_and_time_left():
    from rich.console import Console

    buf = io.StringIO()
    shown = StageProgress(tty=True, console=Console(file=buf, force_terminal=True, width=120))
    shown.stage("reading files", 10)
    shown.advance(3)
    shown.bar.refresh()
    shown.stage("embedding passages", 200)
    shown.update(40)
    shown.bar.refresh()
    shown.stop()
    out = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", buf.getvalue())
    assert "reading files" in out and "3/10" in out
    assert "embedding passages" in out and "40/200" in out and "left" in out
    assert list(shown.times) == ["reading files", "embedding passages"]


class Tiny:
    """A small deterministic embedder (STYLE.md: unit tests may use one)."""
    backend = "tiny"

    def embed(self, texts, batch_size=32):
        out = np.zeros((len(texts), 384), np.float32)
        for i, t in enumerate(texts):
            out[i, hash(t) % 384] = 1.0
        return out


def test_embedding_reports_its_counts(tmp_path):
    from kb.search.index import sync
    from kb.store import open_store

    home = tmp_path / "kb"
    assert CliRunner().invoke(cli, ["--kb", str(home), "ingest", "--no-extract", "--no-index",
                                    str(CORPUS / "text")]).exit_code == 0
    seen = []
    with open_store(home) as store:
        done = sync(store, embedder=Tiny(), batch_size=16, on_count=lambda n, total: seen.append((n, total)))
    totals = {t for _, t in seen}
    assert totals == {done["embedded"]} and done["embedded"] > 32
    assert [n for n, _ in seen] == sorted(n for n, _ in seen) and seen[0][0] == 0 and seen[-1][0] == done["embedded"]
    assert len(seen) >= 3  # more than "nothing yet" and "all done"


def test_the_summary_time_includes_the_embedding(tmp_path):
    started = time.monotonic()
    r = CliRunner().invoke(cli, ["--kb", str(tmp_path / "kb"), "ingest", "--no-extract", str(CORPUS / "text")],
                           catch_exceptions=False)
    wall = time.monotonic() - started
    assert r.exit_code == 0, r.output
    assert re.search(r"embedding passages: (\d+)/\1", r.output)
    m = re.search(r" in ([\d.]+)s \(reading files ([\d.]+)s, embedding passages ([\d.]+)s\)", r.output)
    assert m, r.output
    total, reading, embedding = map(float, m.groups())
    assert total >= reading + embedding - 0.2 and total >= 0.8 * wall, (total, reading, embedding, wall)
