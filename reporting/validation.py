"""Check a folder of SSDA903 CSVs with the community validator (csc-validator-be-903), run out of process.

The validator pins pandas 1.5 / numpy 1.24, so it lives in its own virtual environment (decision 0004) and
runs as a subprocess: ``<validator python> -I reporting/validator_runner.py ...``, which prints one JSON
document (its contract is in that file's docstring). Nothing here imports pandas or the validator.

    result = validate_903(folder, year=2025, la_ons_code="E09000027")
    result.errors, result.issues, result.failed_rules

Where is the validator's python?  ``settings.VALIDATOR_PYTHON`` if set; otherwise ``<VALIDATOR_VENV>/bin/python``
with ``settings.VALIDATOR_VENV`` defaulting to ``<BASE_DIR>/var/validator-venv`` (the default of
scripts/validator-env.sh, so `make` and the app agree). ``ensure_validator_env()`` creates it when missing.
If it cannot be found or created (e.g. no network on first use), ``ValidatorUnavailable`` is raised: callers
should record the validation as "not run" rather than fail.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings

RUNNER = Path(__file__).resolve().with_name("validator_runner.py")
# Only these variables reach the validator: no Django settings module, no database URL, no secrets.
_PASSED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")


class ValidatorUnavailable(RuntimeError):
    """The validator's environment is missing and could not be created: report validation as "not run"."""


class ValidatorError(RuntimeError):
    """The validator ran but did not produce a usable report (crash, timeout, unreadable output)."""


class ValidatorInputError(ValueError):
    """The validator could not read the files (e.g. a CSV whose columns match no 903 table)."""


@dataclass(frozen=True)
class Issue:
    child: str | None  # CHILD as the validator saw it (upper-cased); None for table-level issues
    rule: str  # e.g. "567", "INT13"
    description: str
    fields: tuple[str, ...]  # the columns the rule concerns
    table: str  # the table the flagged row is in: "Missing", "Episodes", ...
    row: int | None = None  # 0-based data row in that table's CSV (CSV line = row + 2)
    severity: str = "error"  # "error" or "warning"

    @property
    def field(self) -> str | None:
        return self.fields[0] if self.fields else None

    @classmethod
    def from_json(cls, data: dict) -> Issue:
        return cls(
            child=data.get("child"),
            rule=str(data["rule"]),
            description=data.get("description") or "",
            fields=tuple(data.get("columns") or data.get("fields") or ()),
            table=data.get("table") or "",
            row=data.get("row"),
            severity=data.get("severity") or "error",
        )


@dataclass
class ValidationResult:
    errors: int
    warnings: int
    issues: list[Issue]
    failed_rules: list[str]  # rules that crashed inside the validator (e.g. 231 in 0.1.17): not checked
    skipped_rules: list[str]  # rules that need a table that was not supplied (OC2, AD1, last year's return...)
    ruleset: str = ""
    validator_version: str | None = None
    rules_run: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # rule -> exception text
    suppressed: list[Issue] = field(default_factory=list)  # known validator false positives, not counted

    @property
    def passed(self) -> bool:
        return self.errors == 0

    def for_child(self, child: str) -> list[Issue]:
        return [i for i in self.issues if i.child is not None and i.child.upper() == child.upper()]

    def rules_flagged(self) -> set[str]:
        return {i.rule for i in self.issues}

    def as_json(self) -> dict:
        """A plain dict for a JSONField; ``from_json`` reads it back."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ValidationResult:
        issues = [Issue.from_json(i) for i in data.get("issues", [])]
        return cls(
            errors=int(data.get("errors", sum(1 for i in issues if i.severity == "error"))),
            warnings=int(data.get("warnings", sum(1 for i in issues if i.severity == "warning"))),
            issues=issues,
            failed_rules=[str(c) for c in data.get("failed_rules", [])],
            skipped_rules=[str(c) for c in data.get("skipped_rules", [])],
            ruleset=data.get("ruleset", ""),
            validator_version=data.get("validator_version"),
            rules_run=int(data.get("rules_run", 0)),
            failures=dict(data.get("failures", {})),
            suppressed=[Issue.from_json(i) for i in data.get("suppressed", [])],
        )


def validator_venv() -> Path:
    configured = getattr(settings, "VALIDATOR_VENV", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "validator-venv"


def validator_python() -> Path:
    """Where the validator's interpreter is (or will be, once ``ensure_validator_env()`` has run)."""
    configured = getattr(settings, "VALIDATOR_PYTHON", None)
    return Path(configured) if configured else validator_venv() / "bin" / "python"


def _clean_env() -> dict[str, str]:
    env = {k: os.environ[k] for k in _PASSED_ENV if k in os.environ}
    env.setdefault("LANG", "C.UTF-8")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def ensure_validator_env(timeout: float = 900) -> Path:
    """Create the validator's environment if needed (idempotent, ~0.05 s when present) and return its python.

    Raises ValidatorUnavailable when it cannot be created, or when settings.VALIDATOR_PYTHON names an
    interpreter that does not exist (an explicitly configured interpreter is never created here).
    """
    if getattr(settings, "VALIDATOR_PYTHON", None):
        python = validator_python()
        if not python.exists():
            raise ValidatorUnavailable(f"VALIDATOR_PYTHON is set to {python}, which does not exist.")
        return python
    venv = validator_venv()
    script = Path(settings.BASE_DIR) / "scripts" / "validator-env.sh"
    if not script.exists():
        raise ValidatorUnavailable(f"{script} is missing, so the validator environment cannot be created.")
    venv.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV", "PYTHONPATH")}
    lock_path = venv.parent / f".{venv.name}.lock"
    with open(lock_path, "w") as lock, contextlib.ExitStack() as stack:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two workers must not build the same venv at once
        stack.callback(fcntl.flock, lock, fcntl.LOCK_UN)
        try:
            proc = subprocess.run(
                ["bash", str(script), str(venv)],
                capture_output=True,
                text=True,
                timeout=timeout,
                env=env,
                cwd=settings.BASE_DIR,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ValidatorUnavailable(f"Could not create the 903 validator environment in {venv}: {exc}") from exc
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise ValidatorUnavailable(
            f"Could not create the 903 validator environment in {venv} (scripts/validator-env.sh exited "
            f"{proc.returncode}): " + " | ".join(detail)
        )
    python = Path(proc.stdout.strip().splitlines()[-1])
    if not python.exists():
        raise ValidatorUnavailable(f"scripts/validator-env.sh reported {python}, which does not exist.")
    return python


def validate_903(
    directory: Path,
    *,
    year: int,
    la_ons_code: str,
    timeout: float = 600,
    previous_year_directory: Path | None = None,
    rules: list[str] | None = None,
    python: Path | None = None,
    create_env: bool = True,
) -> ValidationResult:
    """Validate the 903 CSVs in ``directory`` (only 903 CSVs: files are recognised by their columns).

    ``year`` is the collection END year (2025 = 2024/25); ``la_ons_code`` the ONS upper-tier code (E09000027).
    ``python`` overrides the interpreter (then nothing is created); otherwise a missing environment is created
    when ``create_env`` (first use: 10–25 s and a PyPI download).

    Raises ValidatorUnavailable (no environment: report "not run"), ValidatorInputError (files unreadable)
    or ValidatorError (the validator crashed or timed out).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ValidatorInputError(f"{directory} is not a folder.")
    if python is not None:
        python = Path(python)
    else:
        python = validator_python()
        if not python.exists() and create_env:
            python = ensure_validator_env()
    if not python.exists():
        raise ValidatorUnavailable(
            f"The 903 validator's python ({python}) does not exist. Create it with scripts/validator-env.sh "
            "or set VALIDATOR_PYTHON."
        )

    command = [str(python), "-I", str(RUNNER), "--year", str(int(year)), "--la", la_ons_code]
    command += ["--dir", str(directory.resolve())]
    if previous_year_directory is not None:
        command += ["--prev-dir", str(Path(previous_year_directory).resolve())]
    if rules:
        command += ["--rules", ",".join(str(r) for r in rules)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=_clean_env(), cwd=directory)
    except subprocess.TimeoutExpired as exc:
        raise ValidatorError(f"The 903 validator did not finish within {timeout} s.") from exc
    except OSError as exc:  # e.g. the interpreter is not executable
        raise ValidatorUnavailable(f"Could not start the 903 validator ({python}): {exc}") from exc

    try:
        document = json.loads(proc.stdout) if proc.stdout.strip() else None
    except json.JSONDecodeError:
        document = None
    if proc.returncode == 3 and document:
        raise ValidatorInputError(document.get("error", {}).get("message", "The validator could not read the files."))
    if proc.returncode != 0 or not document or not document.get("ok"):
        tail = " | ".join(proc.stderr.strip().splitlines()[-5:])
        raise ValidatorError(f"The 903 validator failed (exit {proc.returncode}): {tail}")
    return ValidationResult.from_json(document)
