"""Create the demo authorities, teams, users and synthetic children of API.md.

Safe to run again: it changes nothing twice, and a larger ``--children`` tops up the children.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from casework.demo.children import MAX_CHILDREN
from casework.demo.seed import DEMO_USERNAMES, demo_password, seed_children, seed_organisations_and_users


class Command(BaseCommand):
    help = "Create demo organisations, teams, users and synthetic children (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=60, help="How many synthetic children (default 60)")
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable data")

    def handle(self, *args, **options):
        count = options["children"]
        if not 0 <= count <= MAX_CHILDREN:
            raise CommandError(f"--children must be between 0 and {MAX_CHILDREN}")
        password, source = demo_password()
        created = seed_organisations_and_users(password=password)
        self.stdout.write(self.style.SUCCESS(f"Demo organisations and users ready ({created} new users)."))
        start = time.perf_counter()
        progress = None
        if count >= 20_000:
            progress = lambda done: self.stdout.write(f"  {done} children written")  # noqa: E731
        with override_settings(DEBUG=False):  # DEBUG's query log would format every bulk INSERT: far slower
            new_nb, new_em = seed_children(count=count, seed=options["seed"], progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo children ready: {new_nb} new in Northbridge, {new_em} new in Eastmoor "
                f"({time.perf_counter() - start:.1f}s)."
            )
        )
        self.stdout.write(f"Demo sign-ins: {', '.join(DEMO_USERNAMES)}")
        if source != "environment":
            self.stdout.write(f"Demo password (DEMO_PASSWORD is unset; kept in {source}): {password}")
