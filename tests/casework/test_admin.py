from django.contrib import admin

from casework.models import Organisation, Team, User


def test_admin_role_manages_organisations_teams_and_users(client, make_user):
    client.force_login(make_user("admin", is_staff=True))
    for url in ("/admin/casework/user/", "/admin/casework/team/", "/admin/casework/organisation/"):
        assert client.get(url).status_code == 200


def test_admin_shows_history_of_a_user(client, make_user):
    target = make_user("social_worker")
    client.force_login(make_user("admin", is_staff=True))
    assert client.get(f"/admin/casework/user/{target.pk}/history/").status_code == 200


def test_other_roles_cannot_use_the_admin(client, make_user):
    client.force_login(make_user("service_manager", is_staff=True))
    response = client.get("/admin/casework/user/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_no_case_data_is_registered_in_the_admin():
    case_apps = {"missing_episodes", "advocates", "reporting"}
    registered = {model._meta.app_label for model in admin.site._registry}
    assert not case_apps & registered
    casework_models = {m for m in admin.site._registry if m._meta.app_label == "casework"}
    assert casework_models == {Organisation, Team, User}
