from datetime import date

from django.apps import apps
from django.core.management import call_command

from casework.demo.seed import DEMO_USERNAMES
from casework.models import Organisation, Team, User


def test_seed_demo_creates_the_demo_authorities_and_users_and_is_idempotent(db, client):
    call_command("seed_demo")
    counts = (Organisation.objects.count(), Team.objects.count(), User.objects.count(), User.history.count())
    call_command("seed_demo")
    assert (Organisation.objects.count(), Team.objects.count(), User.objects.count(), User.history.count()) == counts

    assert set(User.objects.values_list("username", flat=True)) == set(DEMO_USERNAMES)
    assert Organisation.objects.filter(kind="local_authority").count() == 2
    other = User.objects.get(username="other.social.worker")
    assert other.organisation != User.objects.get(username="social.worker").organisation
    response = client.post("/account/sign-in/", {"username": "advocate", "password": "demo-password-for-tests"})
    assert response.status_code == 302


# --- Synthetic children -------------------------------------------------------------------------------

EASTMOOR_CHILDREN = 5


def _children_by_authority():
    from casework.demo.seed import EASTMOOR, NORTHBRIDGE
    from casework.models import Child

    return {
        name: Child.objects.filter(organisation__name=org["name"]).count()
        for name, org in (("northbridge", NORTHBRIDGE), ("eastmoor", EASTMOOR))
    }


def _history_counts():
    from casework.models import Alias, Child, LegalStatus, PeriodOfCare, Placement

    return {
        m.__name__: (m.objects.count(), m.history.count()) for m in (Child, Alias, PeriodOfCare, LegalStatus, Placement)
    }


def test_seed_demo_children_is_idempotent_and_tops_up(db):
    call_command("seed_demo", children=50, seed=3)
    counts = _history_counts()
    call_command("seed_demo", children=50, seed=3)
    assert _children_by_authority() == {"northbridge": 50, "eastmoor": EASTMOOR_CHILDREN}
    assert _history_counts() == counts

    call_command("seed_demo", children=53, seed=3)
    assert _children_by_authority() == {"northbridge": 53, "eastmoor": EASTMOOR_CHILDREN}
    call_command("seed_demo", children=10, seed=3)  # fewer than there are: nothing removed
    assert _children_by_authority() == {"northbridge": 53, "eastmoor": EASTMOOR_CHILDREN}


def test_seed_demo_children_have_history_attributed_to_the_seeding_admin(db):
    from casework.models import Child, Placement

    call_command("seed_demo", children=20)
    admin = User.objects.get(username="admin")
    assert Child.history.count() == Child.objects.count()
    assert set(Child.history.values_list("history_user", flat=True)) == {admin.pk}
    assert Placement.history.count() == Placement.objects.count()


def test_seed_demo_children_are_valid_and_their_care_histories_derive_903_episodes(db):
    from casework import services
    from casework.care_rules import check_record
    from casework.episodes import derive_episodes
    from casework.models import Child

    call_command("seed_demo", children=50, seed=11)
    children = Child.objects.prefetch_related("periods_of_care", "legal_statuses", "placements", "aliases")
    for child in children:
        services.validate_child(child)
        periods = list(child.periods_of_care.all())
        assert periods, child
        for kind in services.CARE_MODELS:
            records = list(getattr(child, kind).all())
            assert records, (child, kind)
            for record in records:
                check_record(
                    child=child,
                    kind=kind,
                    start_date=record.start_date,
                    end_date=record.end_date,
                    siblings=[r for r in records if r.pk != record.pk],
                    periods=periods,
                    reason_ceased=getattr(record, "reason_ceased", ""),
                )
                record.full_clean(exclude=["child"])
        episodes = derive_episodes(periods, child.legal_statuses.all(), child.placements.all())
        assert episodes[0].RNE == "S"
        for alias in child.aliases.all():
            alias.full_clean(exclude=["child"])


def test_seed_demo_children_have_a_realistic_mix(db):
    from casework.demo.seed import NORTHBRIDGE
    from casework.models import Child, Placement

    call_command("seed_demo", children=60)
    nb = Child.objects.filter(organisation__name=NORTHBRIDGE["name"])
    trafficked = nb.filter(trafficking_status__in=["suspected", "identified"])
    uasc = nb.filter(is_uasc=True)
    assert trafficked.filter(is_uasc=False).exists()
    assert uasc.filter(trafficking_status="none").exists()
    assert trafficked.filter(is_uasc=True).exists()
    assert nb.filter(trafficking_status="none", is_uasc=False).exists()
    assert trafficked.exclude(nrm_referral_date=None).exists()
    assert trafficked.filter(reasonable_grounds="positive").exists()

    for child in uasc:
        assert child.upn == "UN2"
        assert child.nationality != "British"
        assert {p.category_of_need for p in child.periods_of_care.all()} == {"N8"}
        assert {p.home_postcode for p in child.periods_of_care.all()} == {""}
        assert {s.code for s in child.legal_statuses.all()} == {"V2"}
        if child.dob_estimated:
            assert child.date_of_birth.day == 15
    assert uasc.filter(dob_estimated=True).exists()
    for girl in nb.filter(sex="F"):
        assert girl.is_mother is not None
    ages = [(date.today() - c.date_of_birth).days // 365 for c in nb]
    assert max(ages) <= 17
    assert sum(10 <= a <= 17 for a in ages) >= len(ages) * 0.8

    out_of_area = Placement.objects.filter(child__in=nb, out_of_area=True)
    assert out_of_area.filter(host_authority__name="Eastmoor County Council").exists()
    for placement in Placement.objects.filter(child__in=nb, place="K2"):
        assert placement.urn.startswith("SC") and len(placement.urn) == 8
    assert Placement.objects.filter(child__in=nb, provider="PR1", out_of_area=False).exists()

    worker = User.objects.get(username="social.worker")
    restricted = nb.filter(restricted=True)
    assert restricted.exists()
    assert set(restricted.values_list("allocated_social_worker", flat=True)) == {worker.pk}
    assert nb.filter(allocated_social_worker=worker, restricted=False).exists()
    assert nb.values("team").distinct().count() == 3


def test_seed_demo_children_are_deterministic_for_a_seed(db):
    from casework.models import Child

    def wipe():  # the demo's episodes, alerts and allocations hold on to their children
        for label in ("missing_episodes.Delivery", "missing_episodes.Alert"):
            apps.get_model(label).objects.all().delete()
        episodes = apps.get_model("missing_episodes.MissingEpisode").objects
        episodes.filter(reclassified_from__isnull=False).delete()  # the later half of an A/M switch first
        episodes.all().delete()
        apps.get_model("advocates.AdvocateAllocation").objects.all().delete()
        Child.objects.all().delete()

    def snapshot():
        return list(
            Child.objects.order_by("la_child_id").values_list(
                "la_child_id", "first_name", "last_name", "date_of_birth", "trafficking_status", "is_uasc"
            )
        )

    call_command("seed_demo", children=30, seed=5)
    first = snapshot()
    wipe()
    call_command("seed_demo", children=12, seed=5)
    call_command("seed_demo", children=30, seed=5)  # topped up in two runs: the same children
    assert snapshot() == first
    wipe()
    call_command("seed_demo", children=30, seed=6)
    assert [row[1:] for row in snapshot()][len(first) // 2 :] != [row[1:] for row in first][len(first) // 2 :]


def test_seed_demo_children_can_be_found_in_their_own_authority_only(db):
    from casework import selectors

    call_command("seed_demo")
    worker = User.objects.get(username="social.worker")
    other = User.objects.get(username="other.social.worker")
    found = [c.la_child_id for c in selectors.children_visible_to(worker, q="Muhammad")]
    assert "NB000001" in found  # Mohammed Osman, with the alias spelling Muhammad Osman
    assert all(i.startswith("NB") for i in found)
    assert [c.la_child_id for c in selectors.children_visible_to(worker, q="Nguyen")][:1] == ["NB000002"]
    assert "NB000003" in [c.la_child_id for c in selectors.children_visible_to(worker, q="ሰላም")]
    assert all(c.la_child_id.startswith("EM") for c in selectors.children_visible_to(other))
    assert selectors.children_visible_to(other).count() == EASTMOOR_CHILDREN


def test_seed_demo_shows_children_missing_now_their_history_and_a_guardian_caseload(db, client):
    from django.urls import reverse

    episodes = apps.get_model("missing_episodes.MissingEpisode").objects
    allocations = apps.get_model("advocates.AdvocateAllocation").objects
    call_command("seed_demo")
    missing_now = episodes.filter(status="open")
    assert missing_now.count() == 3
    assert {e.risk_level for e in missing_now} == {"high"}  # trafficked or unaccompanied: high risk at once
    assert episodes.filter(status="closed", return_interview__isnull=False).count() >= 6
    assert allocations.filter(advocate__username="advocate").count() == 4
    counts = (episodes.count(), allocations.count())
    call_command("seed_demo")
    assert (episodes.count(), allocations.count()) == counts

    client.force_login(User.objects.get(username="missing.coordinator"))
    board = client.get(reverse("missing_board")).content.decode()
    for episode in missing_now.select_related("child"):
        assert episode.child.la_child_id in board
