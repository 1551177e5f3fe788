"""What the console shows during a batch: one line per document and a summary; on a terminal
also a progress bar (documents, pages, failures so far, ETA). Prefect's own logs go to Prefect."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Console reporter. ``bar`` defaults to whether stderr is a terminal."""

    def __init__(self, out: TextIO | None = None, bar: bool | None = None):
        self.out = out or sys.stdout
        self.bar_enabled = sys.stderr.isatty() if bar is None else bar
        self._bar = None
        self.total = self.done = self.pages = self.failures = 0
        self.started = time.perf_counter()

    def start(self, total: int, summary: str) -> None:
        self.total, self.started = total, time.perf_counter()
        print(summary, file=self.out, flush=True)
        if self.bar_enabled and total:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

            self._bar = Bar(TextColumn("docs"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[pages]} pages, {task.fields[failures]} failed"),
                            TextColumn("ETA"), TimeRemainingColumn(), transient=True)
            self._task = self._bar.add_task("docs", total=total, pages=0, failures=0)
            self._bar.start()

    def document(self, outcome) -> None:
        """One line per document, e.g. ``[2/20] 002_0943 new, 15 pages, 31 statements (9.8s)``."""
        self.done += 1
        self.pages += outcome.n_pages or 0
        self.failures += outcome.status == "failed"
        if outcome.status == "failed":
            where = outcome.quarantined_to or "not moved"
            extra = f"; {outcome.quarantine_error}" if outcome.quarantine_error else ""
            line = (f"[{self.done}/{self.total}] {outcome.path} FAILED [{outcome.error_code}] "
                    f"{outcome.reason} (quarantine: {where}{extra})")
        elif outcome.status == "skipped":
            line = f"[{self.done}/{self.total}] {outcome.doc_id} skipped: {outcome.reason}"
        else:
            pages = f", {outcome.n_pages} pages" if outcome.n_pages else ""
            line = (f"[{self.done}/{self.total}] {outcome.doc_id} {outcome.status}{pages}, "
                    f"{outcome.n_statements} statements, {outcome.n_stats} statistics ({outcome.seconds:.1f}s)")
        if self._bar is not None:
            self._bar.console.print(line, highlight=False, markup=False)
            self._bar.update(self._task, advance=1, pages=self.pages, failures=self.failures)
        else:
            print(line, file=self.out, flush=True)

    def finish(self, summary: str) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        print(summary, file=self.out, flush=True)


_current: Progress | None = None


def current() -> Progress:
    """The reporter the CLI installed, or a plain line printer."""
    global _current
    if _current is None:
        _current = Progress(bar=False)
    return _current


def install(progress: Progress | None) -> None:
    global _current
    _current = progress
