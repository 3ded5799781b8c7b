from datetime import date

import pytest

from casework import services as casework_services


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


@pytest.fixture
def make_child_in_care(authority, team, worker):
    """A child with an open period of care (from 1 Jan 2024) built through the casework services."""
    counter = iter(range(1, 10_000))

    def make(
        *,
        trafficking_status="none",
        is_uasc=False,
        date_of_birth=date(2009, 5, 15),
        care_from=date(2024, 1, 1),
        first_name="Selam",
        last_name="Tesfaye",
        **fields,
    ):
        child = casework_services.create_child(
            by=worker,
            organisation=authority,
            team=team,
            la_child_id=f"MC{next(counter):05d}",
            first_name=first_name,
            last_name=last_name,
            sex="M",
            date_of_birth=date_of_birth,
            ethnicity="BAFR",
            trafficking_status=trafficking_status,
            is_uasc=is_uasc,
            allocated_social_worker=worker,
            **fields,
        )
        casework_services.add_care_record(
            child=child, kind="periods_of_care", by=worker, start_date=care_from, category_of_need="N8"
        )
        casework_services.add_care_record(
            child=child, kind="legal_statuses", by=worker, start_date=care_from, code="V2"
        )
        casework_services.add_care_record(
            child=child,
            kind="placements",
            by=worker,
            start_date=care_from,
            place="U6",
            provider="PR1",
            postcode="NB1 1AA",
        )
        return child

    return make
