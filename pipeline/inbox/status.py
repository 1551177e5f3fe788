"""``python -m pipeline status``: the last runs, the counts per document and the quarantine."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from pipeline.store.inbox_models import InboxFileRow, InboxRunRow
from pipeline.store.leases import held
from pipeline.store.models import CurationDecisionRow, IngestFailureRow, StatementRow

RUN_FIELDS = ("id", "inbox", "runner", "status", "started_at", "finished_at", "files_seen", "new",
              "changed", "unchanged", "failed", "skipped", "pages", "statements", "stats",
              "duration_s", "error")


def carried_decisions(engine: Engine, doc_key: str) -> int:
    """Curator decisions on statements of this version (made on this or an earlier version:
    they refer to stable statement ids, so they carry over to a changed file's new version)."""
    with Session(engine) as session:
        ids = select(StatementRow.id).where(StatementRow.doc_key == doc_key)
        return session.scalar(select(func.count(func.distinct(CurationDecisionRow.statement_id)))
                              .where(CurationDecisionRow.statement_id.in_(ids))) or 0


def collect(engine: Engine, quarantine_dir: Path, runs: int = 10) -> dict:
    with Session(engine) as session:
        run_rows = session.scalars(select(InboxRunRow).order_by(InboxRunRow.started_at.desc()).limit(runs))
        last_runs = [{f: _plain(getattr(r, f)) for f in RUN_FIELDS} for r in run_rows]
        files = list(session.scalars(select(InboxFileRow).order_by(InboxFileRow.path)))
        failures = list(session.scalars(select(IngestFailureRow).order_by(IngestFailureRow.id.desc()).limit(50)))
    documents = [{"path": f.path, "doc_id": f.doc_id, "version": f.doc_key, "previous": f.previous_key,
                  "status": f.status, "pages": f.n_pages, "statements": f.n_statements,
                  "stats": f.n_stats, "decisions": carried_decisions(engine, f.doc_key),
                  "updated_at": _plain(f.updated_at)} for f in files]
    quarantine = [{"path": f.path, "code": f.code, "reason": f.reason, "quarantined_to": f.quarantined_to,
                   "has_traceback": bool(f.traceback), "at": _plain(f.at)} for f in failures]
    in_folder = sorted(p.name for p in quarantine_dir.glob("*") if not p.name.endswith(".error.json")) \
        if quarantine_dir.is_dir() else []
    return {"runs": last_runs, "documents": documents, "failures": quarantine,
            "quarantine_dir": str(quarantine_dir), "quarantine_files": in_folder,
            "leases": [{"doc_key": k, "owner": o, "expires_at": _plain(e)} for k, o, e in held(engine)]}


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def render(data: dict) -> str:
    lines = ["Last runs:"]
    for r in data["runs"]:
        lines.append(f"  {r['started_at'][:19]}  {r['status']:<7} {r['files_seen']} seen, {r['new']} new, "
                     f"{r['changed']} changed, {r['unchanged']} unchanged, {r['failed']} failed; "
                     f"{r['pages']} pages, {r['statements']} statements"
                     + (f", {r['duration_s']:.1f}s" if r["duration_s"] is not None else "")
                     + (f"  ERROR {r['error']}" if r["error"] else ""))
    if not data["runs"]:
        lines.append("  (none)")
    lines.append("Documents:")
    for d in data["documents"]:
        lines.append(f"  {d['doc_id']:<32} {d['status']:<9} {d['pages'] or 0:>4} pages "
                     f"{d['statements'] or 0:>5} statements {d['stats'] or 0:>4} statistics "
                     f"{d['decisions']:>3} decisions  {d['version']}")
    if not data["documents"]:
        lines.append("  (none)")
    lines.append(f"Quarantine ({data['quarantine_dir']}): {len(data['quarantine_files'])} file(s)")
    for f in data["failures"]:
        lines.append(f"  {Path(f['path']).name}: [{f['code']}] {f['reason']}"
                     + (f" -> {f['quarantined_to']}" if f["quarantined_to"] else "")
                     + (" (traceback stored)" if f["has_traceback"] else ""))
    if data["leases"]:
        lines.append("Leases held:")
        lines.extend(f"  {x['doc_key']} by {x['owner']} until {x['expires_at']}" for x in data["leases"])
    return "\n".join(lines)


def to_json(data: dict) -> str:
    return json.dumps(data, indent=1)
