"""Run the SSDA903 community validator over a folder of 903 CSVs and print one JSON document.

This script runs under the validator's OWN interpreter (scripts/validator-env.sh; decision 0004), never
under the app's: it imports pandas 1.5 and lac_validator, and nothing from Django or the project.

    VENV_PY reporting/validator_runner.py --year 2025 --la E09000027 --dir DIR \
        [--prev-dir DIR] [--rules 101,102,...] [--isolate-missing | --no-isolate-missing]

stdout carries exactly one JSON document (everything the validator prints or logs goes to stderr):

    {"ok": true, "validator_version": "0.1.17", "ruleset": "lac2024_25", "year": 2025, "la": "E09000027",
     "tables": ["Episodes", "Header", "Missing", "UASC"], "rules_run": 287,
     "errors": 2, "warnings": 1,
     "issues": [{"child": "C1", "rule": "567", "description": "...", "severity": "error", "table": "Missing",
                 "tables": ["Missing"], "columns": ["MIS_START", "MIS_END"], "row": 0, "line": 2}],
     "failed_rules": ["231"], "failures": {"231": "KeyError: 'UASC_STATUS'"},
     "skipped_rules": ["..."], "unknown_rules": [], "suppressed": [{...issue..., "reason": "..."}],
     "isolated_rules": ["1004", "564", ...]}

``row`` is the 0-based data row in that table's CSV (``line`` = row + 2, counting the header line).
``child`` is the CHILD cell as the validator saw it (upper-cased), or null.

Exit status: 0 with ok=true when the rules ran (whatever they found); 3 with ok=false and an "error" object
when the files cannot be read (e.g. a CSV whose columns match no 903 table) or the validator has no ruleset for
the year; 2 for bad arguments; 1 for anything unexpected (traceback on stderr).

Work-arounds for known bugs in csc-validator-be-903 0.1.17 (domain.md 2.7):

* Rule 365 (and any rule like it) writes into the episodes it is given. The validator hands each rule only a
  shallow copy, so the write leaks into the shared data and every later rule sees open episodes closed on 31
  March: 575/577 then flag children who are still in care and still missing. Two defences: every rule gets a
  deep copy (``copy_datastore`` is replaced), and the Missing rules run in a separate pass of their own.
* Rule 231 crashes (KeyError UASC_STATUS: the CSV reader names the column UASC), and in 2025/26 and 2026/27
  rule 233 crashes too (KeyError DATE_EPISODE_CEASED: the column is DEC). Crashed rules are reported in
  failed_rules (with the exception in "failures"), never as "passed".
* The 2024/25 PLACE list spells K3 as "k3", so rule 146 flags every real K3 row in year 2025. Those hits are
  moved to "suppressed" (see KNOWN_FALSE_POSITIVES).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import re
import sys
import traceback
from pathlib import Path

# Rules about the Missing table (domain.md 2.4). The registry is also searched for any rule whose tables or
# fields mention Missing, so new codes in later rulesets join the isolated pass automatically.
MISSING_RULES = {
    "1004", "1005", "1006", "564", "565", "566", "567", "570", "571", "574", "575", "576", "577", "578", "580",
    "581", "586", "INT04", "INT13",
}  # fmt: skip
MISSING_FIELDS = {"MISSING", "MIS_START", "MIS_END"}

# (ruleset, rule) -> (predicate on the flagged row, reason). Hits matching are reported under "suppressed".
KNOWN_FALSE_POSITIVES = {
    ("lac2024_25", "146"): (
        lambda row: str(row.get("PLACE", "")).upper() == "K3",
        'validator 0.1.17 bug: the 2024/25 PLACE list spells K3 as "k3" (domain.md 2.7.3)',
    ),
}

# The validator has no severity. These are DfE "queries"/warnings rather than errors; everything else counts as
# an error. Messages beginning "WARNING" are treated the same way.
WARNING_RULES = {"231", "232"}

TABLE_NAMES = [
    "Header", "Episodes", "Reviews", "UASC", "OC2", "OC3", "AD1", "PlacedAdoption", "PrevPerm", "Missing",
    "SWEpisodes", "DoLo",
]  # fmt: skip


class _FailureCollector(logging.Handler):
    """Keeps the exception behind each "Rule code X failed to run!" log line."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.failures: dict[str, str] = {}

    def emit(self, record):
        message = record.getMessage()
        if record.exc_info and message.startswith("Rule code "):
            code = message[len("Rule code ") :].split(" ", 1)[0]
            exc = record.exc_info[1]
            self.failures[code] = f"{type(exc).__name__}: {exc}"


def _table_name(name):
    """Correct the registry's typos ("MIssing", "HEader_last")."""
    base, _, suffix = str(name).partition("_last")
    for known in TABLE_NAMES:
        if known.lower() == base.lower():
            return known + ("_last" if _ else "")
    return str(name)


def _order(code):
    """Sort key for rule codes: 101 < 146 < 197B < 205A < 1004 < INT04 < SW01aSTG1."""
    match = re.match(r"(\d+)(.*)", code)
    return (0, int(match.group(1)), match.group(2).upper()) if match else (1, 0, code)


def _deep_copy_datastore(data_store):
    return {k: v.copy(deep=True) if k != "metadata" else v for k, v in data_store.items()}


def _is_missing_rule(code, rule):
    tables = [t for t in (rule.tables or []) if t]
    fields = set(rule.affected_fields or [])
    return (
        code in MISSING_RULES
        or any(str(t).lower().startswith("missing") for t in tables)
        or bool(fields & MISSING_FIELDS)
    )


def _clean(value):
    """JSON-safe scalar: NaN/NaT/None -> None, numpy scalars -> Python."""
    if value is None:
        return None
    try:
        if value != value:  # NaN / NaT
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        value = value.item()
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def _issues(validator, registry):
    """One issue per (rule, table, row) flagged in validator.ds_results."""
    out = []
    for table, df in validator.ds_results.items():
        if table == "metadata":
            continue
        for col in [c for c in df.columns if str(c).startswith("ERR_")]:
            code = col[4:]
            rule = registry.get(code)
            for row in df.index[df[col] == True]:  # noqa: E712 (object column of True/NaN)
                record = df.loc[row]
                out.append(
                    {
                        "child": _clean(record.get("CHILD")),
                        "rule": code,
                        "description": rule.message if rule else None,
                        "table": _table_name(table),
                        "tables": [_table_name(t) for t in (rule.tables or []) if t] if rule else [],
                        "columns": list(rule.affected_fields or []) if rule else [],
                        "row": int(row),
                        "line": int(row) + 2,
                        "_record": record,
                    }
                )
    return out


def _run_pass(lac, metadata, files, registry, codes):
    """Run LacValidator with exactly `codes` (never an empty selection: the validator reads [] as "all")."""
    if not codes:
        return None
    return lac.LacValidator(metadata=dict(metadata), files=files, registry=registry, selected_rules=sorted(codes))


def run(args):
    # Imported here so that --help works without the validator installed. Its import calls
    # logging.basicConfig(level=INFO); configuring logging first makes that a no-op.
    logging.basicConfig(stream=sys.stderr, level=logging.INFO if args.verbose else logging.WARNING)
    import lac_validator.lac_validator as lac
    from lac_validator.rules.ruleset_utils import get_year_ruleset
    from lac_validator.types import UploadError
    from lac_validator.utils import process_uploaded_files

    if not args.unpatched:
        lac.copy_datastore = _deep_copy_datastore
    collector = _FailureCollector()
    validator_logger = logging.getLogger("lac_validator")
    validator_logger.addHandler(collector)
    validator_logger.propagate = args.verbose  # its tracebacks for crashed rules are noise unless asked for

    try:
        from importlib.metadata import version

        validator_version = version("csc-validator-be-903")
    except Exception:  # noqa: BLE001
        validator_version = None

    year = str(args.year)
    ruleset = f"lac{int(year) - 1}_{year[2:4]}"
    base = {"validator_version": validator_version, "ruleset": ruleset, "year": int(year), "la": args.la}
    try:
        registry = get_year_ruleset(year)
    except ModuleNotFoundError:
        message = f"This validator has no ruleset {ruleset} for collection year {year}."
        return 3, {"ok": False, **base, "error": {"type": "UnsupportedYear", "message": message}}

    this_year = sorted(str(p) for p in Path(args.dir).glob("*.csv"))
    prev_year = sorted(str(p) for p in Path(args.prev_dir).glob("*.csv")) if args.prev_dir else []
    if not this_year:
        return 3, {"ok": False, **base, "error": {"type": "UploadError", "message": f"No CSV files in {args.dir}"}}

    requested = set(registry)
    unknown = []
    if args.rules:
        wanted = {c.strip() for c in args.rules.split(",") if c.strip()}
        unknown = sorted(wanted - set(registry))
        requested = wanted & set(registry)

    isolated = {c for c in requested if _is_missing_rule(c, registry[c])} if args.isolate_missing else set()
    main_codes = requested - isolated

    metadata = {"collectionYear": year, "localAuthority": args.la}
    try:
        files = process_uploaded_files({"This year": this_year, **({"Prev year": prev_year} if prev_year else {})})
        passes = [_run_pass(lac, metadata, files, registry, main_codes)]
        passes.append(_run_pass(lac, metadata, files, registry, isolated))
    except UploadError as exc:
        return 3, {"ok": False, **base, "error": {"type": "UploadError", "message": str(exc)}}

    passes = [p for p in passes if p is not None]
    issues, failed, skipped, done = [], set(), set(), set()
    tables = set()
    for p in passes:
        issues.extend(_issues(p, registry))
        failed.update(p.fails)
        skipped.update(p.skips)
        done.update(p.dones)
        tables.update(t for t in p.dfs)

    kept, suppressed = [], []
    for issue in issues:
        record = issue.pop("_record")
        known = KNOWN_FALSE_POSITIVES.get((ruleset, issue["rule"]))
        if known and known[0](record):
            suppressed.append({**issue, "reason": known[1]})
            continue
        message = issue["description"] or ""
        issue["severity"] = "warning" if issue["rule"] in WARNING_RULES or message.startswith("WARNING") else "error"
        kept.append(issue)

    kept.sort(key=lambda i: (_order(i["rule"]), i["table"], i["row"]))
    failures = {code: collector.failures.get(code, "crashed") for code in sorted(failed, key=_order)}
    return 0, {
        "ok": True,
        **base,
        "tables": sorted(tables),
        "rules_run": len(done),
        "errors": sum(1 for i in kept if i["severity"] == "error"),
        "warnings": sum(1 for i in kept if i["severity"] == "warning"),
        "issues": kept,
        "failed_rules": list(failures),
        "failures": failures,
        "skipped_rules": sorted(skipped, key=_order),
        "unknown_rules": unknown,
        "suppressed": suppressed,
        "isolated_rules": sorted(isolated, key=_order),
    }


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--year", type=int, required=True, help="collection END year, e.g. 2025 for 2024/25")
    parser.add_argument("--la", required=True, help="ONS upper-tier LA code, e.g. E09000027")
    parser.add_argument("--dir", required=True, help="folder holding this year's 903 CSVs (only 903 CSVs)")
    parser.add_argument("--prev-dir", help="folder holding last year's 903 CSVs (enables cross-year rules)")
    parser.add_argument("--rules", help="comma-separated rule codes to run (default: the whole ruleset)")
    parser.add_argument(
        "--isolate-missing",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run the Missing rules in a pass of their own (default: on)",
    )
    parser.add_argument(
        "--unpatched", action="store_true", help="diagnostics: keep the validator's shallow per-rule copies"
    )
    parser.add_argument("--verbose", action="store_true", help="validator log lines on stderr")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    real_stdout = sys.stdout
    try:
        # Anything the validator prints goes to stderr, so stdout holds only our JSON document.
        with contextlib.redirect_stdout(sys.stderr):
            status, document = run(args)
    except Exception:  # noqa: BLE001
        traceback.print_exc(file=sys.stderr)
        return 1
    json.dump(document, real_stdout)
    real_stdout.write("\n")
    real_stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
