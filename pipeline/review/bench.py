"""Load benchmark of the review app (not a test): N concurrent curators on loopback browse the
queue and decide for a fixed time; reports p50/p95 latency per request kind and checks that the
audit rows equal the successful decisions (nothing lost).

    python -m pipeline.review.bench [--clients 20] [--seconds 60] [--think 0.25] [--out out/review-bench]

The database is filled by the real reader and extractor from corpus/pdf/*.pdf; the server is
``python -m pipeline review`` (uvicorn, one process) on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

PROJECT = Path(__file__).resolve().parents[2]
PASSWORD = "benchmark password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def _curator(base: str, name: str, deadline: float, think: float, rng: random.Random,
                   timings: dict[str, list[float]], outcomes: dict[str, int]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        response = await client.post("/login", data={"username": name, "password": PASSWORD},
                                     headers={"Accept": "application/json"})
        response.raise_for_status()
        token = (await client.get("/api/session")).json()["csrf_token"]
        documents = (await client.get("/api/documents")).json()

        async def timed(kind, coro):
            start = time.perf_counter()
            result = await coro
            timings[kind].append(time.perf_counter() - start)
            if think:  # a curator reads before the next click
                await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
            return result

        while time.monotonic() < deadline:
            doc = rng.choice(documents)["key"]
            page = await timed("queue_page", client.get(f"/documents/{doc}"))
            page.raise_for_status()
            await timed("index_page", client.get("/"))
            items = (await timed("api_statements", client.get("/api/statements", params={"doc": doc}))).json()
            for _ in range(3):
                if time.monotonic() >= deadline or not items:
                    break
                item = rng.choice(items)
                choices = ["accept", "accept", "reject", "edit"] if item["kind"] != "stat" else ["accept", "reject"]
                action = rng.choice(choices)
                body = {"decision": action, "version": item["version"]}
                if action == "reject":
                    body["reason"] = f"bench {name}"
                if action == "edit":
                    body["fields"] = {"context": f"edited by {name} {rng.random():.6f}"}
                answer = await timed("decision", client.post(f"/api/statements/{item['id']}/decision",
                                                             json=body, headers={"X-CSRF-Token": token}))
                outcomes[str(answer.status_code)] += 1
                if answer.status_code == 200:
                    item.update(answer.json())
                elif answer.status_code == 409:
                    item["version"] = answer.json()["current_version"]


async def _run(base: str, names: list[str], seconds: float, think: float, seed: int):
    timings: dict[str, list[float]] = defaultdict(list)
    outcomes: dict[str, int] = defaultdict(int)
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(_curator(base, name, deadline, think, random.Random(seed + i), timings, outcomes)
                           for i, name in enumerate(names)))
    return timings, outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause after each request (uniform 0.5x-1.5x), seconds; 0 = flat out")
    parser.add_argument("--out", type=Path, default=PROJECT / "out" / "review-bench")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)

    from sqlalchemy import create_engine, text

    from pipeline.review import auth
    from pipeline.review.seed import seed
    from pipeline.review.service import ReviewService

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        pdfs = sorted((PROJECT / "corpus" / "pdf").glob("*.pdf"))
        started = time.perf_counter()
        counts = seed(db_url, pdfs)
        print(f"seeded {sum(counts.values())} statements from {len(pdfs)} PDFs in {time.perf_counter() - started:.0f} s")
        service = ReviewService(db_url)
        names = [f"curator{i:02d}" for i in range(args.clients)]
        for name in names:
            auth.add_user(service, name, PASSWORD, "curator")
        port = _free_port()
        log = (args.out / "server.log").open("w")
        server = subprocess.Popen([sys.executable, "-m", "pipeline", "review", "--port", str(port), "--db", db_url],
                                  cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT,
                                  env={"PIPELINE_OUT": tmp, "PATH": "/usr/bin:/bin"})
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(base, server, args.out / "server.log", tries=300)
            timings, outcomes = asyncio.run(_run(base, names, args.seconds, args.think, args.seed))
        finally:
            server.terminate()
            server.wait(15)
            log.close()
        with create_engine(db_url).connect() as conn:
            audit_rows = conn.execute(text("SELECT count(*) FROM review_audit")).scalar()
            decided_versions = conn.execute(text("SELECT coalesce(sum(version), 0) FROM review_state")).scalar()
    result = {
        "clients": args.clients, "seconds": args.seconds, "think_s": args.think,
        "latency_ms": {kind: {"n": len(v), "p50": round(_percentile(v, 0.50) * 1000, 1),
                              "p95": round(_percentile(v, 0.95) * 1000, 1),
                              "max": round(max(v) * 1000, 1)} for kind, v in sorted(timings.items())},
        "requests_per_s": round(sum(len(v) for v in timings.values()) / args.seconds, 1),
        "decisions": dict(outcomes),
        "audit_rows": audit_rows,
        "sum_of_versions": decided_versions,
    }
    ok = outcomes.get("200", 0)
    result["nothing_lost"] = audit_rows == ok == decided_versions
    result["p95_under_200ms"] = all(result["latency_ms"][k]["p95"] < 200 for k in ("queue_page", "decision")
                                    if k in result["latency_ms"])
    (args.out / "result.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    unexpected = {k: v for k, v in outcomes.items() if k not in ("200", "409")}
    if unexpected:
        print(f"unexpected answers: {unexpected}", file=sys.stderr)
    return 0 if result["nothing_lost"] and not unexpected else 1


if __name__ == "__main__":
    sys.exit(main())


def wait_until_serving(base: str, proc: subprocess.Popen, log: Path, tries: int = 200) -> None:
    """Wait until a started ``pipeline review`` server answers its login page; a server that exits
    or never answers raises with its log."""
    for _ in range(tries):
        if proc.poll() is not None:
            raise RuntimeError("review server exited: " + log.read_text(errors="replace"))
        try:
            if httpx.get(base + "/login", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("review server did not start: " + log.read_text(errors="replace"))
