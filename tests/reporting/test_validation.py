"""The SSDA903 community validator, run in its own environment (decision 0004) through reporting.validation.

The fixture sets under fixtures/903/ are for collection year 2025 (2024/25) and Richmond upon Thames
(E09000027); their postcodes are real Richmond postcodes so that the postcode/distance rules run for real.

* valid/: three children. UASC1 is UASC (V2/N8, supported accommodation K3) and still missing at 31 March;
  AM2 switches from away (A) to missing (M) on the same day; SIMPLE3 is a plain open episode.
* errors/: one child per deliberate error (567, 574, 304, 586, 146), each child named after its rule.
* still_missing/: INCARE1 is still in care and still missing at 31 March (must NOT be flagged by 575/577);
  LEFT2 left care on 01/02/2025 while still missing (correctly flagged by 575 and 577).

Nothing had to be excluded for the valid set to pass: without the Ofsted children's homes / providers lists the
URN look-up rules (227, 228, 229, ...) skip themselves, and without last year's return the cross-year rules
(205A-D, 503A-J, 576, ...) skip themselves. See ``test_valid_set_skips_only_rules_lacking_data``.
"""

import json
import subprocess
import time
from pathlib import Path

import pytest

from reporting.validation import (
    RUNNER,
    ValidationResult,
    ValidatorInputError,
    ValidatorUnavailable,
    ensure_validator_env,
    validate_903,
)

FIXTURES = Path(__file__).parent / "fixtures" / "903"
YEAR = 2025
LA = "E09000027"


@pytest.fixture(scope="session")
def validator_python():
    """Create the validator's venv once (var/validator-venv; ~25 s cold, ~10 s from uv's cache, 0.05 s after)."""
    started = time.monotonic()
    python = ensure_validator_env()
    print(f"\nvalidator environment ready in {time.monotonic() - started:.1f} s: {python}")
    return python


@pytest.fixture(scope="module")
def valid_result(validator_python):
    return validate_903(FIXTURES / "valid", year=YEAR, la_ons_code=LA)


@pytest.fixture(scope="module")
def errors_result(validator_python):
    return validate_903(FIXTURES / "errors", year=YEAR, la_ons_code=LA)


def _run_runner(python, directory, *extra):
    proc = subprocess.run(
        [str(python), "-I", str(RUNNER), "--year", str(YEAR), "--la", LA, "--dir", str(directory), *extra],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


# (a) a valid set ---------------------------------------------------------------------------------------------


def test_valid_set_has_no_errors(valid_result):
    assert isinstance(valid_result, ValidationResult)
    assert valid_result.issues == [], [(i.rule, i.child, i.description) for i in valid_result.issues]
    assert valid_result.errors == 0
    assert valid_result.passed
    assert valid_result.ruleset == "lac2024_25"
    assert valid_result.validator_version == "0.1.17"
    assert valid_result.rules_run > 100


def test_valid_set_reports_rule_231_as_failed_not_passed(valid_result):
    # Known bug (domain.md 2.7.1): the rule reads UASC_STATUS, the CSV reader makes UASC.
    assert valid_result.failed_rules == ["231"]
    assert "UASC_STATUS" in valid_result.failures["231"]


def test_k3_is_a_suppressed_false_positive_in_2024_25(valid_result):
    # Known bug (domain.md 2.7.3): the 2024/25 PLACE list spells K3 "k3"; the hit is kept aside, not counted.
    assert [(i.rule, i.child, i.table) for i in valid_result.suppressed] == [("146", "UASC1", "Episodes")]


def test_valid_set_skips_only_rules_lacking_data(valid_result):
    skipped = set(valid_result.skipped_rules)
    # No Ofsted URN lists, no last year's return, no OC2/OC3/AD1/Reviews/SWEpisodes tables.
    assert {"227", "228", "229", "205A", "205D", "503A", "576", "SW01aSTG1"} <= skipped
    # The rules about the tables that were supplied did run.
    for code in ("101", "146", "304", "567", "574", "575", "577", "586", "INT13"):
        assert code not in skipped


# (b) deliberate errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "child", "table"),
    [
        ("567", "E567", "Missing"),  # MIS_END before MIS_START
        ("574", "E574", "Missing"),  # overlapping missing episodes
        ("304", "E304", "UASC"),  # DUC after the 18th birthday
        ("586", "E586", "Missing"),  # MIS_START before DOB
        ("146", "E146", "Episodes"),  # PLACE Q9 does not exist
    ],
)
def test_each_deliberate_error_is_reported_against_its_child(errors_result, rule, child, table):
    hits = [i for i in errors_result.issues if i.rule == rule]
    assert [(i.child, i.table) for i in hits] == [(child, table)]
    assert hits[0].description
    assert hits[0].severity == "error"


def test_error_details(errors_result):
    by_rule = {i.rule: i for i in errors_result.issues}
    assert by_rule["567"].fields == ("MIS_START", "MIS_END")
    assert by_rule["567"].row == 0  # first data row of missing.csv
    assert by_rule["146"].field == "PLACE"
    assert by_rule["146"].row == 4
    # A missing episode before the child's first episode is also "before looked after" (581) and, as the
    # validator computes it, "after ceasing care" (578): same child, nobody else.
    assert {i.child for i in errors_result.issues} == {"E567", "E574", "E304", "E586", "E146"}
    assert errors_result.rules_flagged() == {"146", "304", "567", "574", "578", "581", "586"}
    assert errors_result.errors == len(errors_result.issues) == 7
    assert [i.rule for i in errors_result.for_child("e586")] == ["578", "581", "586"]


def test_result_round_trips_through_json(errors_result):
    again = ValidationResult.from_json(json.loads(json.dumps(errors_result.as_json())))
    assert again == errors_result


# (c) still missing at 31 March -------------------------------------------------------------------------------


def test_child_still_missing_and_in_care_is_not_flagged_by_575_577(validator_python):
    result = validate_903(FIXTURES / "still_missing", year=YEAR, la_ons_code=LA)
    assert sorted((i.rule, i.child) for i in result.issues) == [("575", "LEFT2"), ("577", "LEFT2")]
    assert result.for_child("INCARE1") == []


def test_without_the_workarounds_the_validator_flags_the_child_in_care(validator_python):
    """Control: proves the fixture exercises bug 2.7.2 (if this starts failing, the validator fixed it)."""
    document = _run_runner(
        validator_python, FIXTURES / "still_missing", "--unpatched", "--no-isolate-missing", "--rules", "365,575,577"
    )
    assert sorted((i["rule"], i["child"]) for i in document["issues"]) == [
        ("575", "INCARE1"),
        ("575", "LEFT2"),
        ("577", "INCARE1"),
        ("577", "LEFT2"),
    ]
    isolated = _run_runner(validator_python, FIXTURES / "still_missing", "--unpatched", "--rules", "365,575,577")
    assert sorted((i["rule"], i["child"]) for i in isolated["issues"]) == [("575", "LEFT2"), ("577", "LEFT2")]
    assert isolated["isolated_rules"] == ["575", "577"]


# (d) and other failure modes ---------------------------------------------------------------------------------


def test_unavailable_when_pointed_at_a_python_that_does_not_exist(tmp_path):
    with pytest.raises(ValidatorUnavailable, match="does not exist"):
        validate_903(FIXTURES / "valid", year=YEAR, la_ons_code=LA, python=tmp_path / "nowhere" / "python")


def test_unavailable_when_the_configured_python_does_not_exist(settings, tmp_path):
    settings.VALIDATOR_PYTHON = str(tmp_path / "nowhere" / "python")
    with pytest.raises(ValidatorUnavailable, match="VALIDATOR_PYTHON"):
        validate_903(FIXTURES / "valid", year=YEAR, la_ons_code=LA)


def test_unavailable_when_the_environment_cannot_be_created(settings, tmp_path, monkeypatch):
    settings.VALIDATOR_VENV = str(tmp_path / "venv")
    monkeypatch.setenv("VALIDATOR_BASE_PYTHON", str(tmp_path / "no-such-python"))
    with pytest.raises(ValidatorUnavailable, match="Could not create"):
        validate_903(FIXTURES / "valid", year=YEAR, la_ons_code=LA)


def test_a_csv_that_is_not_a_903_table_is_an_input_error(validator_python, tmp_path):
    for name in ("header.csv", "episodes.csv"):
        (tmp_path / name).write_text((FIXTURES / "valid" / name).read_text())
    (tmp_path / "notes.csv").write_text("CHILD,NOTE\nUASC1,hello\n")
    with pytest.raises(ValidatorInputError, match="Failed to match"):
        validate_903(tmp_path, year=YEAR, la_ons_code=LA)


def test_later_rulesets_run_and_report_their_crashing_rules(validator_python):
    # Year 2026 (2024/25 dates are then last year's): 233 reads DATE_EPISODE_CEASED, which no table has.
    result = validate_903(FIXTURES / "valid", year=2026, la_ons_code=LA)
    assert result.ruleset == "lac2025_26"
    assert result.failed_rules == ["231", "233"]
    assert result.suppressed == []  # the K3 spelling bug is 2024/25 only


def test_a_year_without_a_ruleset_is_an_input_error(validator_python):
    with pytest.raises(ValidatorInputError, match="no ruleset lac2021_22"):
        validate_903(FIXTURES / "valid", year=2022, la_ons_code=LA)


def test_selected_rules_and_unknown_codes(validator_python):
    document = _run_runner(validator_python, FIXTURES / "errors", "--rules", "567,146,NOPE")
    assert sorted({i["rule"] for i in document["issues"]}) == ["146", "567"]
    assert document["unknown_rules"] == ["NOPE"]
    assert document["isolated_rules"] == ["567"]
