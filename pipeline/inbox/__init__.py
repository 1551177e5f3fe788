"""Scheduled, unattended ingestion of a watched inbox folder (issue 14).

``scan`` finds new, changed and unchanged files by content hash; ``work.process_file`` does one
document (lease → read → NLP → extract → one storing transaction) and never lets an error of one
document stop a batch; ``flow.inbox_flow`` is the Prefect flow that ``serve`` schedules;
``status`` reads run summaries, per-document counts and the quarantine back.
"""
