"""Benchmark of inbox ingestion (``make bench``), ratios within one run:

1. the same batch (the corpus PDFs and texts plus copies under other names, >= 20 documents)
   with 1 and with 2 Dask worker processes: wall time ratio, peak RSS of each worker;
2. a 1,000-file inbox of small text files: the first run, then a re-run that must be a no-op;
   its time per 100 unchanged files.

Each run is the real CLI (``python -m pipeline inbox``) in a subprocess with a fresh SQLite
store. The 1- and 2-worker runs share one output folder, so both find the tokenized-lexicon
cache (``out/cache/``) that a warm-up builds first, as every run after a machine's first one
does. ``--repeat N`` times the pair N times (this machine is shared: the load average before
each run is printed with it). Prints a Markdown table; ``--json`` writes the numbers too.
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


def _busy() -> float:
    """CPU seconds the whole machine has spent not idle."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def run_cli(args: list[str], env: dict) -> tuple[float, str, dict[int, int], float]:
    """Run ``python -m pipeline …``; wall seconds, stdout, the peak RSS of each worker process and
    how many cores other jobs kept busy meanwhile (machine CPU time minus this command's)."""
    started, busy = time.perf_counter(), _busy()
    process = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(process.pid)
    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}
    while process.poll() is None:
        try:
            for child in [parent, *parent.children(recursive=True)]:
                try:
                    times = child.cpu_times()
                    cpu[child.pid] = times.user + times.system
                    if "distributed" in " ".join(child.cmdline()) or "spawn" in " ".join(child.cmdline()):
                        peaks[child.pid] = max(peaks.get(child.pid, 0), child.memory_info().rss)
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        time.sleep(0.25)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"pipeline {' '.join(args)} failed:\n{err[-3000:]}")
    others = max(0.0, (_busy() - busy - sum(cpu.values())) / seconds)
    return seconds, out, peaks, others


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--small-files", type=int, default=1000)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=1, help="time the 1- and 2-worker pair this many times")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="inbox-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PIPELINE_OUT"] = str(root / "out")
    results: dict = {"pairs": []}
    try:
        batch = root / "batch"
        build_batch(batch, args.docs)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "from pipeline.nlp.annotate import tagger; tagger()"],
                       cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
        results["cache_warm_up_s"] = round(time.perf_counter() - started, 1)
        for repeat in range(args.repeat):
            pair = {}
            for workers in (1, 2):
                run_env = dict(env, PIPELINE_DB_URL=f"sqlite:///{root / f'run{repeat}_{workers}.sqlite'}")
                load = os.getloadavg()[0]
                seconds, out, peaks, others = run_cli(
                    ["inbox", str(batch), "--runner", "dask", "--workers", str(workers)], run_env)
                match = SUMMARY.search(out)
                pair[f"workers_{workers}"] = {
                    "wall_s": round(seconds, 1), "flow_s": float(match.group(6)) if match else None,
                    "new": int(match.group(2)) if match else None, "load_before": round(load, 2),
                    "other_jobs_cores": round(others, 2),
                    "peak_rss_mb_per_worker": sorted(round(v / 2**20) for v in peaks.values())}
            pair["speedup_2_vs_1"] = round(pair["workers_1"]["flow_s"] / pair["workers_2"]["flow_s"], 2)
            results["pairs"].append(pair)
        # Headline: the pair that other jobs disturbed least (they only ever slow a run down).
        quietest = min(results["pairs"], key=lambda p: max(p["workers_1"]["other_jobs_cores"],
                                                           p["workers_2"]["other_jobs_cores"]))
        results.update(quietest)
        small = root / "small"
        small.mkdir()
        for i in range(args.small_files):
            (small / f"small_{i:04d}.txt").write_text(
                f"Note {i}.\n\nRapamycin inhibits mTOR in cell line {i}. Everolimus reduced tumor growth.\n")
        small_env = dict(env, PIPELINE_DB_URL=f"sqlite:///{root / 'small.sqlite'}")
        first_s, first_out, _, _ = run_cli(["inbox", str(small)], small_env)
        again_s, again_out, _, _ = run_cli(["inbox", str(small)], small_env)
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
    print(f"| tokenized-lexicon cache warm-up (once per machine) | {results['cache_warm_up_s']} s |")
    for i, pair in enumerate(results["pairs"], 1):
        a, b = pair["workers_1"], pair["workers_2"]
        print(f"| pair {i}: 1 worker / 2 workers, in the flow (whole command; load average before; "
              f"cores other jobs used meanwhile) | {a['flow_s']:.1f} s ({a['wall_s']} s; {a['load_before']}; "
              f"{a['other_jobs_cores']}) / {b['flow_s']:.1f} s ({b['wall_s']} s; {b['load_before']}; "
              f"{b['other_jobs_cores']}) = {pair['speedup_2_vs_1']}x |")
    print(f"| {args.docs} documents, 1 Dask worker | {one['flow_s']:.1f} s (peak RSS {one['peak_rss_mb_per_worker']} MB) |")
    print(f"| same, 2 Dask workers | {two['flow_s']:.1f} s (peak RSS per worker {two['peak_rss_mb_per_worker']} MB) |")
    print(f"| speed-up 2 vs 1 worker{' (the pair least disturbed by other jobs)' if len(results['pairs']) > 1 else ''} | "
          f"{results['speedup_2_vs_1']}x |")
    print(f"| {small['files']} small text files, first run | {small['first_run_s']:.1f} s, {small['first_run_new']} new |")
    print(f"| re-run (no-op: {small['rerun_unchanged']} unchanged, {small['rerun_new']} new) | "
          f"{small['rerun_flow_s']:.2f} s in the flow = {small['rerun_s_per_100_files']} s per 100 files "
          f"({small['rerun_wall_s']} s with process and Prefect start) |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
