"""Every case model keeps its history (django-simple-history): who changed what, and when.

conventions.md: "history = HistoricalRecords() on every case model … A test asserts that every case model has
history." This is that test. It walks every concrete model of the project's own apps through the app registry,
so a model added later without history fails here until it gets one or a reasoned exemption below.
"""

import pytest
from django.apps import apps
from simple_history.models import HistoricalChanges, registered_models

PROJECT_APPS = ("casework", "missing_episodes", "advocates", "reporting")

# Each exemption says why the model needs no history of its own. Keep this list short and reasoned.
EXEMPT = {
    # The access log is itself the audit trail of who looked at a record. Entries are written once and never
    # changed by the service; a history of the history would add nothing but rows.
    "casework.AccessLogEntry": "append-only audit record (the access log itself)",
}


def _project_models():
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.abstract or model._meta.proxy:
                continue
            if issubclass(model, HistoricalChanges):  # the historical tables themselves
                continue
            if model._meta.auto_created:  # implicit many-to-many through tables
                continue
            yield model


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def test_the_project_apps_have_models_to_check():
    labels = {_label(m) for m in _project_models()}
    # A sanity floor: the walk found the case models, so an empty registry cannot pass this file silently.
    assert {"casework.Child", "missing_episodes.MissingEpisode", "advocates.AdvocateAllocation"} <= labels
    assert "reporting.ReturnRun" in labels


@pytest.mark.parametrize("model", [m for m in _project_models() if _label(m) not in EXEMPT], ids=_label)
def test_every_case_model_keeps_history(model):
    label = _label(model)
    assert model in registered_models.values(), (
        f"{label} has no django-simple-history: add `history = HistoricalRecords()` and a migration"
    )
    manager = getattr(model, "history", None)
    assert manager is not None, f"{label} has no `history` manager"
    historical = manager.model
    assert issubclass(historical, HistoricalChanges)
    # The historical table records who made the change (HistoryRequestMiddleware / _history_user).
    assert "history_user" in {f.name for f in historical._meta.get_fields()}


def test_exemptions_name_real_models_without_history():
    """An exemption for a model that no longer exists, or that now has history, is stale: remove it."""
    for label in EXEMPT:
        model = apps.get_model(label)
        assert not hasattr(model, "history"), f"{label} now keeps history: drop its exemption"


def test_third_party_and_historical_models_are_outside_the_walk():
    labels = {_label(m) for m in _project_models()}
    assert not any(label.split(".")[1].startswith("Historical") for label in labels)
    assert not any(label.split(".")[0] in {"axes", "otp_totp", "authtoken"} for label in labels)
