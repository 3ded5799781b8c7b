"""`python manage.py export_ssda903 --year Y --out DIR [--authority LA_CODE] [--no-validate]`."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import OrganisationFactory
from tests.reporting.test_returns_api import YEAR, seed_children

pytestmark = pytest.mark.django_db
FILES = ["header.csv", "episodes.csv", "uasc.csv", "missing.csv"]


@pytest.fixture
def seeded(authority, team, make_user):
    return seed_children(authority, team, make_user("social_worker"))


def export(*args) -> str:
    out = io.StringIO()
    call_command("export_ssda903", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_writes_the_four_files_prints_row_counts_and_validates(seeded, tmp_path):
    out_dir = tmp_path / "new" / "folder"
    output = export("--year", str(YEAR), "--out", str(out_dir))
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(FILES)  # no scratch folder left behind
    assert (out_dir / "missing.csv").read_text(encoding="utf-8").splitlines() == [
        "CHILD,DOB,MISSING,MIS_START,MIS_END",
        "RET1,15/03/2010,M,01/06/2024,03/06/2024",
    ]
    assert (out_dir / "header.csv").read_text(encoding="utf-8").splitlines()[0] == (
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
    )
    lines = [line.split() for line in output.splitlines()]
    assert ["header.csv", "2", "rows"] in lines
    assert ["episodes.csv", "2", "rows"] in lines
    assert ["uasc.csv", "0", "rows"] in lines
    assert ["missing.csv", "1", "row"] in lines
    assert "Validation: " in output and " error" in output


def test_no_validate_skips_the_validator(seeded, tmp_path):
    output = export("--year", str(YEAR), "--out", str(tmp_path), "--no-validate")
    assert "Validation" not in output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)


def test_an_existing_folder_keeps_its_other_files(seeded, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    (tmp_path / "missing.csv").write_text("old")
    export("--year", str(YEAR), "--out", str(tmp_path), "--no-validate")
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    assert (tmp_path / "missing.csv").read_text().startswith("CHILD,DOB,MISSING")


def test_with_two_authorities_the_authority_must_be_named(seeded, authority, tmp_path):
    other = OrganisationFactory()
    with pytest.raises(CommandError, match="--authority"):
        export("--year", str(YEAR), "--out", str(tmp_path / "a"))
    assert not (tmp_path / "a" / "header.csv").exists()
    output = export(
        "--year", str(YEAR), "--out", str(tmp_path / "b"), "--authority", authority.la_code, "--no-validate"
    )
    assert authority.name in output
    assert (tmp_path / "b" / "header.csv").read_text().count("\n") == 3
    export("--year", str(YEAR), "--out", str(tmp_path / "c"), "--authority", other.la_code, "--no-validate")
    assert (tmp_path / "c" / "header.csv").read_text().count("\n") == 1  # the other authority has no children


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "abc"], "--year must be a collection end year"),
        (["--year", "1990"], "--year must be between"),
        (["--year", "2025", "--authority", "999"], "No local authority has the LA code '999'"),
    ],
)
def test_bad_arguments_fail_with_a_clear_message(authority, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        export(*args, "--out", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_out_must_be_a_folder(authority, tmp_path):
    target = tmp_path / "file.csv"
    target.write_text("")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        export("--year", str(YEAR), "--out", str(target))


def test_no_authority_at_all_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="no local authority"):
        export("--year", str(YEAR), "--out", str(tmp_path))
