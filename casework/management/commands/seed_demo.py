"""Create the demo authorities, teams and users of API.md. Safe to run again: it changes nothing twice."""

from django.core.management.base import BaseCommand

from casework.demo import DEMO_USERNAMES, demo_password, seed_organisations_and_users


class Command(BaseCommand):
    help = "Create demo organisations, teams and users (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=60, help="How many synthetic children (default 60)")
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable data")

    def handle(self, *args, **options):
        password, source = demo_password()
        created = seed_organisations_and_users(password=password)
        self.stdout.write(self.style.SUCCESS(f"Demo organisations and users ready ({created} new users)."))
        self.stdout.write(f"Demo sign-ins: {', '.join(DEMO_USERNAMES)}")
        if source != "environment":
            self.stdout.write(f"Demo password (DEMO_PASSWORD is unset; kept in {source}): {password}")
