"""The SSDA903 export at scale: 100,000 children whose care histories make ~500,000 episodes rows.

Each child has one period of care (from early 2024), two legal statuses (C1 then C2) and four placements whose
changes all fall in the 2024/25 collection year: five 903 episodes each. Every child has a missing episode in the
year and every other child a second one (~150,000 missing rows). The rows are cloned in PostgreSQL from one
template record of each kind (made through the services) with ``INSERT ... SELECT generate_series``: seconds,
not minutes. The clones skip django-simple-history (benchmark data only; the app and the demo seeder never do).

The export runs in a child process (a fresh interpreter, as the Celery worker runs it), so its peak memory is
that process's ``ru_maxrss``: the figure includes Django and the app (the baseline is reported too). It is run at
20,000 and at 100,000 children to show that memory stays flat as the data grows, and compared with the time
PostgreSQL takes to ``COPY (SELECT ...) TO STDOUT`` the rows the export reads.

Targets: < 60 s and < 500 MB peak at 100,000 children. SSDA903_BENCH_CHILDREN sets another size;
SSDA903_BENCH_PROFILE=1 prints a cProfile of each export (slower).
"""

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from casework.models import Child, LegalStatus, PeriodOfCare, Placement
from missing_episodes.models import MissingEpisode
from tests.factories import OrganisationFactory, TeamFactory, UserFactory
from tests.reporting.test_returns_api import seed_children
from tests.support.processes import ROOT, production_env

pytestmark = pytest.mark.django_db(transaction=True)

CHILDREN = int(os.environ.get("SSDA903_BENCH_CHILDREN", "100000"))
SMALL = CHILDREN // 5
YEAR = 2025  # 1 April 2024 to 31 March 2025
TARGET_SECONDS = 60
TARGET_MB = 500
PREFIX = "BM"

# The first child's ID number is g; every date depends on g so that the children differ.
_PERIOD_START = "DATE '2024-01-10' + mod(c.g, 60)"
_LS_CHANGE = "DATE '2024-06-01' + mod(c.g, 30)"
_PLACEMENT_CHANGES = [
    "DATE '2024-08-01' + mod(c.g, 20)",
    "DATE '2024-10-15' + mod(c.g, 20)",
    "DATE '2025-01-05' + mod(c.g, 20)",
]
_FIRST_NAMES = ["Minh", "Arben", "Yonas", "Mohammed", "Ahmad", "Chinedu", "Oliver", "Thi Lan", "Elira", "Selam"]
_LAST_NAMES = ["Nguyen", "Hoxha", "Tesfay", "Osman", "Ahmadi", "Okafor", "Smith", "Tran", "Krasniqi", "Haile"]

# What the export reads, as raw SQL, for the COPY baseline (the same rows, ordered the same way).
_RAW_QUERIES = {
    "children": """SELECT la_child_id, sex, date_of_birth, ethnicity, upn, is_mother, first_child_date_of_birth,
                          is_uasc, uasc_ceased_date
                   FROM casework_child c WHERE c.organisation_id = %(org)s ORDER BY la_child_id""",
    "periods": """SELECT c.la_child_id, p.start_date, p.end_date, p.category_of_need, p.home_postcode, p.reason_ceased
                  FROM casework_periodofcare p JOIN casework_child c ON c.id = p.child_id
                  WHERE c.organisation_id = %(org)s ORDER BY c.la_child_id, p.start_date""",
    "statuses": """SELECT c.la_child_id, p.code, p.start_date, p.end_date
                   FROM casework_legalstatus p JOIN casework_child c ON c.id = p.child_id
                   WHERE c.organisation_id = %(org)s ORDER BY c.la_child_id, p.start_date""",
    "placements": """SELECT c.la_child_id, p.place, p.provider, p.start_date, p.end_date, p.postcode, p.urn,
                            p.carer_reference, p.reason_for_change
                     FROM casework_placement p JOIN casework_child c ON c.id = p.child_id
                     WHERE c.organisation_id = %(org)s ORDER BY c.la_child_id, p.start_date""",
    "missing": """SELECT c.la_child_id, m.kind, m.started_at, m.ended_at
                  FROM missing_episodes_missingepisode m JOIN casework_child c ON c.id = m.child_id
                  WHERE c.organisation_id = %(org)s ORDER BY c.la_child_id, m.started_at""",
}

# Runs in a fresh interpreter: prints one JSON document with the timing and memory of one export.
_EXPORT_SCRIPT = """
import json, resource, sys, time
from pathlib import Path
import django
django.setup()
from casework.models import Organisation
from reporting import ssda903

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

organisation = Organisation.objects.get(pk=sys.argv[1])
baseline = rss_mb()
profiler = None
if len(sys.argv) > 4:
    import cProfile
    profiler = cProfile.Profile()
    profiler.enable()
started = time.perf_counter()
counts, problems = ssda903.export(organisation=organisation, year=int(sys.argv[2]), directory=Path(sys.argv[3]))
seconds = time.perf_counter() - started
if profiler:
    import pstats
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "baseline_mb": baseline, "counts": counts,
                  "problems": len(problems)}))
"""


def _clone(model, template_pk, source: str, overrides: dict[str, str], params: dict) -> int:
    """INSERT one row per row of ``source`` (aliased c), copying the template row except ``overrides``."""
    table = model._meta.db_table
    columns = [field.column for field in model._meta.concrete_fields]
    overrides = {"id": "gen_random_uuid()", **overrides}
    select = ", ".join(overrides.get(column, f"t.{connection.ops.quote_name(column)}") for column in columns)
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = f"INSERT INTO {table} ({quoted}) SELECT {select} FROM {table} t, {source} WHERE t.id = %(template)s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "template": template_pk})
        return cursor.rowcount


def _seed(templates: dict, organisation, team, first: int, last: int) -> None:
    """Children numbered ``first``..``last`` (inclusive) with their care histories and missing episodes."""
    params = {"org": organisation.pk, "team": team.pk, "first": first, "last": last, "prefix": PREFIX}
    first_names = "ARRAY[" + ", ".join(f"'{n}'" for n in _FIRST_NAMES) + "]"
    last_names = "ARRAY[" + ", ".join(f"'{n}'" for n in _LAST_NAMES) + "]"
    _clone(
        Child,
        templates["child"],
        "generate_series(%(first)s, %(last)s) AS c(g)",
        {
            "organisation_id": "%(org)s",
            "team_id": "%(team)s",
            "allocated_social_worker_id": "NULL",
            "la_child_id": "%(prefix)s || lpad(c.g::text, 6, '0')",
            "first_name": f"({first_names})[1 + mod(c.g, {len(_FIRST_NAMES)})]",
            "last_name": f"({last_names})[1 + mod(c.g / 10, {len(_LAST_NAMES)})]",
            "sex": "CASE WHEN mod(c.g, 2) = 0 THEN 'M' ELSE 'F' END",
            "is_mother": "CASE WHEN mod(c.g, 2) = 0 THEN NULL ELSE false END",
            "date_of_birth": "DATE '2007-06-15' + mod(c.g, 2000)",
            "is_uasc": "mod(c.g, 3) = 0",
            "upn": "CASE WHEN mod(c.g, 3) = 0 THEN 'UN2' ELSE 'UN1' END",
        },
        params,
    )
    children = (
        "(SELECT id, substring(la_child_id FROM 3)::int AS g FROM casework_child "
        "WHERE organisation_id = %(org)s AND substring(la_child_id FROM 3)::int BETWEEN %(first)s AND %(last)s) AS c"
    )
    _clone(
        PeriodOfCare,
        templates["period"],
        children,
        {"child_id": "c.id", "start_date": _PERIOD_START, "end_date": "NULL", "reason_ceased": "''"},
        params,
    )
    _clone(
        LegalStatus,
        templates["status"],
        f"{children} CROSS JOIN (VALUES (1), (2)) AS k(n)",
        {
            "child_id": "c.id",
            "code": "CASE k.n WHEN 1 THEN 'C1' ELSE 'C2' END",
            "start_date": f"CASE k.n WHEN 1 THEN {_PERIOD_START} ELSE {_LS_CHANGE} END",
            "end_date": f"CASE k.n WHEN 1 THEN {_LS_CHANGE} END",
        },
        params,
    )
    starts = f"ARRAY[{_PERIOD_START}, {', '.join(_PLACEMENT_CHANGES)}]"
    ends = f"ARRAY[{', '.join(_PLACEMENT_CHANGES)}, NULL]"
    _clone(
        Placement,
        templates["placement"],
        f"{children} CROSS JOIN (VALUES (1), (2), (3), (4)) AS k(n)",
        {
            "child_id": "c.id",
            "start_date": f"({starts})[k.n]",
            "end_date": f"({ends})[k.n]",
            "carer_reference": "'FC' || c.g || '-' || k.n",
            "reason_for_change": "CASE WHEN k.n < 4 THEN 'CARPL' ELSE '' END",
        },
        params,
    )
    started = "TIMESTAMPTZ '2024-07-01 21:00+01' + mod(c.g, 60) * INTERVAL '1 day' + (k.n - 1) * INTERVAL '100 days'"
    _clone(
        MissingEpisode,
        templates["missing"],
        f"{children} CROSS JOIN (VALUES (1), (2)) AS k(n)",
        {
            "child_id": "c.id",
            "kind": "CASE k.n WHEN 1 THEN 'M' ELSE 'A' END",
            "started_at": started,
            "ended_at": f"{started} + INTERVAL '2 days'",
            "reclassified_from_id": "NULL",
        },
        params,
    )
    with connection.cursor() as cursor:  # every other child keeps one missing episode: ~1.5 a child
        cursor.execute(
            "DELETE FROM missing_episodes_missingepisode m USING casework_child c "
            "WHERE c.id = m.child_id AND c.organisation_id = %(org)s AND m.kind = 'A' "
            "AND substring(c.la_child_id FROM 3)::int %% 2 = 1 "
            "AND substring(c.la_child_id FROM 3)::int BETWEEN %(first)s AND %(last)s",
            params,
        )
        for model in (Child, PeriodOfCare, LegalStatus, Placement, MissingEpisode):
            cursor.execute(f"ANALYZE {model._meta.db_table}")  # noqa: S608


def _templates(template_org) -> dict:
    """One record of each kind, made through the services (RET1 of the returns tests, in another authority)."""
    team = TeamFactory(organisation=template_org)
    child = seed_children(template_org, team, UserFactory(role="social_worker", organisation=template_org))["RET1"]
    return {
        "child": child.pk,
        "period": PeriodOfCare.objects.get(child=child).pk,
        "status": LegalStatus.objects.get(child=child).pk,
        "placement": Placement.objects.get(child=child).pk,
        "missing": MissingEpisode.objects.get(child=child).pk,
    }


def _export_in_child_process(organisation, directory: Path) -> dict:
    env = production_env(DJANGO_SETTINGS_MODULE="config.settings")
    profile = ["profile"] if os.environ.get("SSDA903_BENCH_PROFILE") else []
    proc = subprocess.run(
        [sys.executable, "-c", _EXPORT_SCRIPT, str(organisation.pk), str(YEAR), str(directory), *profile],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    if profile:
        print(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


class _Sink(io.RawIOBase):
    def __init__(self):
        self.bytes = 0

    def writable(self):
        return True

    def write(self, data):
        self.bytes += len(data)
        return len(data)


def _raw_copy(organisation) -> tuple[float, int]:
    """Seconds for PostgreSQL to COPY the export's source rows to the client, and the bytes sent."""
    sink = _Sink()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg2 cursor under Django's wrapper
        for sql in _RAW_QUERIES.values():
            query = raw.mogrify(sql, {"org": organisation.pk}).decode()
            raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", sink)
    return time.perf_counter() - started, sink.bytes


def _measure(report, organisation, children: int, tmp_path: Path) -> dict:
    directory = tmp_path / f"export-{children}"
    directory.mkdir()
    result = _export_in_child_process(organisation, directory)
    counts = result["counts"]
    assert result["problems"] == 0
    assert counts["header.csv"] == children
    assert counts["episodes.csv"] == 5 * children
    assert counts["missing.csv"] == children + children // 2
    assert counts["uasc.csv"] == children // 3
    raw_seconds, raw_bytes = _raw_copy(organisation)
    size_mb = sum(p.stat().st_size for p in directory.iterdir()) / 2**20
    result.update(raw_seconds=raw_seconds, raw_mb=raw_bytes / 2**20, files_mb=size_mb)
    return result


def test_ssda903_export_of_100k_children(report, tmp_path):
    template_org = OrganisationFactory(name="Template authority")
    templates = _templates(template_org)
    organisation = OrganisationFactory(name="Benchmark authority", ons_code="E09000027")
    team = TeamFactory(organisation=organisation)

    started = time.perf_counter()
    _seed(templates, organisation, team, 1, SMALL)
    small = _measure(report, organisation, SMALL, tmp_path)
    _seed(templates, organisation, team, SMALL + 1, CHILDREN)
    seeding = time.perf_counter() - started - small["seconds"] - small["raw_seconds"]
    report(
        f"seed {CHILDREN:,} children, care history and missing (INSERT ... SELECT)",
        f"{seeding:.1f} s",
        "",
    )
    large = _measure(report, organisation, CHILDREN, tmp_path)

    counts = large["counts"]
    report(
        f"903 export, {CHILDREN:,} children / {counts['episodes.csv']:,} episodes / {counts['missing.csv']:,} missing",
        f"{large['seconds']:.1f} s ({large['seconds'] / TARGET_SECONDS:.2f}x target)",
        f"< {TARGET_SECONDS} s",
        large["seconds"] < TARGET_SECONDS,
    )
    report(
        "  peak memory of the export process (ru_maxrss)",
        f"{large['peak_mb']:.0f} MB (Django loaded: {large['baseline_mb']:.0f} MB; "
        f"{large['peak_mb'] / TARGET_MB:.2f}x target)",
        f"< {TARGET_MB} MB",
        large["peak_mb"] < TARGET_MB,
    )
    report(
        "  raw PostgreSQL COPY (SELECT ...) TO STDOUT of the same source rows",
        f"{large['raw_seconds']:.1f} s, {large['raw_mb']:.0f} MB; "
        f"export = {large['seconds'] / large['raw_seconds']:.1f}x",
        "",
    )
    report("  files written", f"{large['files_mb']:.0f} MB", "")
    growth = (large["peak_mb"] - large["baseline_mb"]) / max(1.0, small["peak_mb"] - small["baseline_mb"])
    report(
        f"memory as data grows: {SMALL:,} -> {CHILDREN:,} children (5x)",
        f"peak {small['peak_mb']:.0f} -> {large['peak_mb']:.0f} MB "
        f"(above baseline {small['peak_mb'] - small['baseline_mb']:.0f} -> "
        f"{large['peak_mb'] - large['baseline_mb']:.0f} MB, {growth:.2f}x); "
        f"time {small['seconds']:.1f} -> {large['seconds']:.1f} s",
        "flat: well under 5x",
        large["peak_mb"] < small["peak_mb"] * 1.5,
    )
    assert large["peak_mb"] < small["peak_mb"] * 1.5, "the export's memory grows with the data"
