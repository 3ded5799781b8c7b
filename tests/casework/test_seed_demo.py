from django.core.management import call_command

from casework.demo import DEMO_USERNAMES
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
