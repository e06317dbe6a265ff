"""One progress display for every stage of an ingest (reading the files: parse and extract; then
embedding the passages for search): done of total and an estimate of the time left. On a terminal it
is a bar (rich); otherwise a line now and then, so that a log shows the run moving."""
from __future__ import annotations

import time

import click


class StageProgress:
    def __init__(self, quiet: bool = False, tty: bool = False, console=None, every: float = 10.0):
        self.quiet, self.every = quiet, every
        self.bar = None
        self.task = None
        self.times: dict[str, float] = {}  # seconds each stage took
        self._stage: str | None = None
        self._started = self._said = 0.0
        self._done = self._total = 0
        if tty and not quiet:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                console=console, transient=True)
            self.bar.start()

    def stage(self, name: str, total: int | None = None) -> None:
        """Begin a stage (the one before, if any, ends)."""
        self._end_stage()
        self._stage, self._started, self._said = name, time.monotonic(), time.monotonic()
        self._done, self._total = 0, total or 0
        if self.bar is not None:
            self.task = self.bar.add_task(name, total=total)

    def update(self, done: int, total: int | None = None) -> None:
        self._done = done
        if total is not None:
            self._total = total
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total if total is not None else self._total or None)
        elif not self.quiet and (time.monotonic() - self._said >= self.every or (self._total and done >= self._total)):
            self._said = time.monotonic()
            click.echo(f"{self._stage}: {done:,}/{self._total:,}{self._left()}", err=True)

    def advance(self, n: int = 1) -> None:
        self.update(self._done + n)

    def note(self, text: str) -> None:
        """A line above the bar (a failed file)."""
        if self.bar is not None:
            self.bar.console.print(text, markup=False, highlight=False)
        else:
            click.echo(text, err=True)

    def stop(self) -> None:
        self._end_stage()
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def _left(self) -> str:
        if not self._done or not self._total or self._done >= self._total:
            return ""
        left = (time.monotonic() - self._started) / self._done * (self._total - self._done)
        return f", about {left:.0f} s left" if left < 120 else f", about {left / 60:.0f} min left"

    def _end_stage(self) -> None:
        if self._stage is not None:
            self.times[self._stage] = time.monotonic() - self._started
            if self.bar is not None and self.task is not None:
                self.bar.remove_task(self.task)
            self._stage = None
