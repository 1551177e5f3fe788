"""Benchmark of inbox ingestion (``make bench``), ratios within one run:

1. the same batch (the corpus PDFs and texts plus copies under other names, >= 20 documents)
   with 1 and with 2 Dask worker processes: wall time ratio, peak RSS of each worker;
2. a 1,000-file inbox of small text files: the first run, then a re-run that must be a no-op;
   its time per 100 unchanged files.

Each run is the real CLI (``python -m pipeline inbox``) in a subprocess with a fresh SQLite
store. Prints a Markdown table; ``--json`` writes the numbers too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from pipeline.settings import PROJECT_ROOT, load_settings

SUMMARY = re.compile(r"(\d+) files: (\d+) new, (\d+) changed, (\d+) unchanged, (\d+) failed.* in ([\d.]+)s")


def build_batch(folder: Path, n: int) -> list[Path]:
    corpus = load_settings().corpus_dir
    sources = sorted(corpus.glob("pdf/*.pdf")) + sorted(corpus.glob("text/*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        source = sources[i % len(sources)]
        target = folder / f"{source.stem}_copy{i // len(sources)}{source.suffix}"
        shutil.copy(source, target)
        made.append(target)
    return made


def run_cli(args: list[str], env: dict) -> tuple[float, str, dict[int, int]]:
    """Run ``python -m pipeline …``; wall seconds, stdout and the peak RSS of each child process."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(process.pid)
    peaks: dict[int, int] = {}
    while process.poll() is None:
        try:
            for child in parent.children(recursive=True):
                try:
                    if "distributed" in " ".join(child.cmdline()) or "spawn" in " ".join(child.cmdline()):
                        peaks[child.pid] = max(peaks.get(child.pid, 0), child.memory_info().rss)
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        time.sleep(0.25)
    out, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"pipeline {' '.join(args)} failed:\n{err[-3000:]}")
    return time.perf_counter() - started, out, peaks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--small-files", type=int, default=1000)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="inbox-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    results: dict = {}
    try:
        batch = root / "batch"
        build_batch(batch, args.docs)
        for workers in (1, 2):
            run_env = dict(env, PIPELINE_OUT=str(root / f"out{workers}"))
            seconds, out, peaks = run_cli(["inbox", str(batch), "--runner", "dask", "--workers", str(workers)],
                                          run_env)
            match = SUMMARY.search(out)
            results[f"workers_{workers}"] = {
                "wall_s": round(seconds, 1), "flow_s": float(match.group(6)) if match else None,
                "new": int(match.group(2)) if match else None,
                "peak_rss_mb_per_worker": sorted(round(v / 2**20) for v in peaks.values())}
        one, two = results["workers_1"], results["workers_2"]
        results["speedup_2_vs_1"] = round(one["flow_s"] / two["flow_s"], 2)
        small = root / "small"
        small.mkdir()
        for i in range(args.small_files):
            (small / f"small_{i:04d}.txt").write_text(
                f"Note {i}.\n\nRapamycin inhibits mTOR in cell line {i}. Everolimus reduced tumor growth.\n")
        small_env = dict(env, PIPELINE_OUT=str(root / "out_small"))
        first_s, first_out, _ = run_cli(["inbox", str(small)], small_env)
        again_s, again_out, _ = run_cli(["inbox", str(small)], small_env)
        first, again = SUMMARY.search(first_out), SUMMARY.search(again_out)
        results["small_inbox"] = {
            "files": args.small_files, "first_run_new": int(first.group(2)), "first_run_s": float(first.group(6)),
            "rerun_unchanged": int(again.group(4)), "rerun_new": int(again.group(2)),
            "rerun_flow_s": float(again.group(6)), "rerun_wall_s": round(again_s, 1),
            "rerun_s_per_100_files": round(float(again.group(6)) / args.small_files * 100, 3)}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    one, two, small = results["workers_1"], results["workers_2"], results["small_inbox"]
    print("| what | number |\n|---|---|")
    print(f"| {args.docs} documents, 1 Dask worker | {one['flow_s']:.1f} s (peak RSS {one['peak_rss_mb_per_worker']} MB) |")
    print(f"| same, 2 Dask workers | {two['flow_s']:.1f} s (peak RSS per worker {two['peak_rss_mb_per_worker']} MB) |")
    print(f"| speed-up 2 vs 1 worker | {results['speedup_2_vs_1']}x |")
    print(f"| {small['files']} small text files, first run | {small['first_run_s']:.1f} s, {small['first_run_new']} new |")
    print(f"| re-run (no-op: {small['rerun_unchanged']} unchanged, {small['rerun_new']} new) | "
          f"{small['rerun_flow_s']:.2f} s in the flow = {small['rerun_s_per_100_files']} s per 100 files "
          f"({small['rerun_wall_s']} s with process and Prefect start) |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
