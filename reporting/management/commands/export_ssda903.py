"""Write an authority's SSDA903 files (header, episodes, UASC, missing) into a folder, and validate them.

    python manage.py export_ssda903 --year 2025 --out DIR [--authority LA_CODE] [--no-validate]

Runs in this process (no Celery). The files are written to a scratch folder inside DIR and moved into place
only when all four are complete, so a failure leaves nothing partial behind.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework.models import Organisation
from reporting import ssda903
from reporting.services import FIRST_YEAR


class Command(BaseCommand):
    help = "Write the SSDA903 return's CSV files for a collection year into a folder, then validate them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            required=True,
            help="The collection's end year: 2025 means 1 April 2024 to 31 March 2025.",
        )
        parser.add_argument("--out", required=True, help="The folder to write the files into (created if needed).")
        parser.add_argument(
            "--authority",
            help="The authority's 3-digit DfE LA code. Needed only when there is more than one authority.",
        )
        parser.add_argument("--no-validate", action="store_true", help="Do not run the 903 validator.")

    def handle(self, *args, year, out, authority, no_validate, **options):
        year = self._year(year)
        organisation = self._authority(authority)
        directory = Path(out)
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"--out {out} is a file, not a folder.")
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Could not create the folder {out}: {exc.strerror or exc}") from exc

        self.stdout.write(f"SSDA903 {year - 1}/{str(year)[-2:]} for {organisation.name} ({organisation.la_code})")
        try:
            with tempfile.TemporaryDirectory(prefix=".ssda903-", dir=directory) as scratch:
                scratch = Path(scratch)
                counts, problems = ssda903.export(organisation=organisation, year=year, directory=scratch)
                validation = None if no_validate else self._validate(scratch, year, organisation, problems)
                for name in ssda903.FILES:
                    os.replace(scratch / name, directory / name)
        except OSError as exc:
            raise CommandError(f"The files could not be written to {out}: {exc.strerror or exc}") from exc

        for name in ssda903.FILES:
            rows = counts[name]
            self.stdout.write(f"  {name:<14} {rows:>8} row{'s' if rows != 1 else ''}")
        self.stdout.write(f"Written to {directory.resolve()}")
        if validation is not None:
            self._print_validation(validation)
        elif problems:
            self.stdout.write(self.style.WARNING(f"{len(problems)} children's care histories could not be read:"))
            self._print_issues(problems)

    def _year(self, value: str) -> int:
        last = timezone.localdate().year + 1
        try:
            year = int(value)
        except (TypeError, ValueError):
            raise CommandError(f"--year must be a collection end year like 2025, not {value!r}.") from None
        if not FIRST_YEAR <= year <= last:
            raise CommandError(f"--year must be between {FIRST_YEAR} and {last} (2025 means April 2024 to March 2025).")
        return year

    def _authority(self, la_code: str | None) -> Organisation:
        authorities = Organisation.objects.filter(kind=Organisation.Kind.LOCAL_AUTHORITY).order_by("la_code")
        if la_code:
            try:
                return authorities.get(la_code=la_code.strip())
            except Organisation.DoesNotExist:
                known = ", ".join(f"{o.la_code} ({o.name})" for o in authorities) or "none"
                raise CommandError(f"No local authority has the LA code {la_code!r}. Known: {known}.") from None
        count = authorities.count()
        if count == 1:
            return authorities.get()
        if count == 0:
            raise CommandError("There is no local authority in the database to export.")
        known = ", ".join(f"{o.la_code} ({o.name})" for o in authorities)
        raise CommandError(f"There are {count} local authorities: choose one with --authority LA_CODE ({known}).")

    def _validate(self, directory: Path, year: int, organisation, problems: list[dict]) -> dict:
        from reporting import validation

        result = {"errors": len(problems), "warnings": 0, "issues": list(problems), "validator": "not run"}
        self.stdout.write("Validating with the community 903 validator…")
        try:
            outcome = validation.validate_903(directory, year=year, la_ons_code=organisation.ons_code)
        except validation.ValidatorUnavailable as exc:
            result["validator"] = f"unavailable: {exc}"
            return result
        except (validation.ValidatorError, validation.ValidatorInputError) as exc:
            result["validator"] = f"failed: {exc}"
            return result
        result["validator"] = "csc-validator-be-903"
        for issue in outcome.issues:
            result["issues"].append(
                {
                    "child": issue.child,
                    "rule": issue.rule,
                    "field": ", ".join(issue.fields),
                    "description": issue.description,
                }
            )
        result["errors"] = len(result["issues"])
        result["warnings"] = outcome.warnings
        result["failed_rules"] = outcome.failed_rules
        return result

    def _print_validation(self, result: dict) -> None:
        if result["validator"] != "csc-validator-be-903":
            self.stderr.write(self.style.WARNING(f"Validation not run: {result['validator']}"))
            if result["issues"]:
                self._print_issues(result["issues"])
            return
        errors, warnings = result["errors"], result["warnings"]
        style = self.style.SUCCESS if errors == 0 else self.style.WARNING
        counts = f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
        self.stdout.write(style(f"Validation: {counts}"))
        if result.get("failed_rules"):
            self.stdout.write(f"Rules the validator could not check: {', '.join(result['failed_rules'])}")
        self._print_issues(result["issues"])

    def _print_issues(self, issues: list[dict], limit: int = 50) -> None:
        for issue in issues[:limit]:
            child = issue.get("child") or "(file)"
            self.stdout.write(f"  {child:<20} {issue['rule']:<12} {issue.get('field', ''):<20} {issue['description']}")
        if len(issues) > limit:
            self.stdout.write(f"  … and {len(issues) - limit} more")
