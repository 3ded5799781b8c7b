"""The disk fills up while a return is being written: the run fails with a message a person understands, nothing
half-written is listed, downloadable or left in the staging folder, earlier returns are untouched, and the
same return generates normally once space is freed.

The real SSDA903 generation runs (the Celery task's body: ``reporting.services.generate``) with the returns
folder on a full filesystem, made in one of two ways:

- ``tmpfs``: a 64 KiB tmpfs mounted as MEDIA_ROOT and filled up, as a real full disk (needs root: CI);
- ``dev-full``: the staged files are links to /dev/full, where every write fails with ENOSPC (any user).
"""

import errno
import os
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse

from reporting import csvfiles, services, ssda903
from reporting.models import ReturnRun, RunStatus
from reporting.tasks import generate_return
from tests.reporting.test_returns_api import YEAR, seed_children

pytestmark = pytest.mark.django_db

MESSAGE = "The disk is full: the return could not be written. Nothing was kept; try again when space has been freed."


def can_mount_tmpfs() -> bool:
    if os.geteuid() != 0:
        return False
    with tempfile.TemporaryDirectory() as probe:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", probe], capture_output=True)
        if mounted.returncode != 0:
            return False
        subprocess.run(["umount", probe], check=True)
    return True


class TmpfsDisk:
    """A 64 KiB filesystem of its own, inodes to spare (the space runs out, not the files): filling it fills it."""

    def __init__(self, root: Path):
        self.root = root
        self.filler = root / "filler.bin"

    def __enter__(self):
        self.root.mkdir()
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k,nr_inodes=256,mode=0700", "tmpfs", str(self.root)], check=True
        )
        return self

    def __exit__(self, *exc):
        if subprocess.run(["umount", str(self.root)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(self.root)], check=True)  # something still open: detach anyway

    def fill(self) -> None:
        with open(self.filler, "wb", buffering=0) as handle:  # unbuffered: nothing left to flush on close
            try:
                while True:
                    handle.write(b"\0" * 4096)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        assert os.statvfs(self.root).f_bavail == 0

    def free(self) -> None:
        self.filler.unlink()


class DevFullDisk:
    """Every file the export opens in its staging folder is a link to /dev/full: each write gets ENOSPC."""

    def __init__(self, root: Path, monkeypatch):
        self.root = root
        self.monkeypatch = monkeypatch

    def __enter__(self):
        self.root.mkdir()
        return self

    def __exit__(self, *exc):
        pass

    def fill(self) -> None:
        def mkdtemp(**kwargs):
            scratch = tempfile.mkdtemp(**kwargs)
            for name in ssda903.FILES:
                os.symlink("/dev/full", os.path.join(scratch, name))
            return scratch

        self.monkeypatch.setattr(csvfiles, "tempfile", SimpleNamespace(mkdtemp=mkdtemp))

    def free(self) -> None:
        self.monkeypatch.setattr(csvfiles, "tempfile", tempfile)


@pytest.fixture(params=["tmpfs", "dev-full"])
def disk(request, settings, tmp_path, monkeypatch):
    root = tmp_path / "media"
    if request.param == "tmpfs":
        if not can_mount_tmpfs():
            pytest.skip("mounting a tmpfs needs root (the dev-full variant runs instead)")
        full = TmpfsDisk(root)
    else:
        full = DevFullDisk(root, monkeypatch)
    with full:
        settings.MEDIA_ROOT = str(root)
        yield full


@pytest.fixture
def officer(make_user):
    return make_user("data_officer")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def run_return(officer) -> ReturnRun:
    """Ask for the 903 and run the worker's task body in this process, as the reports queue would."""
    run = services.request_return(kind="ssda903", year=YEAR, by=officer)
    generate_return(str(run.pk))
    return ReturnRun.objects.get(pk=run.pk)


def returns_folder_entries(root: Path) -> list[str]:
    folder = root / "returns"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_disk_full_during_an_export_fails_the_run_clearly_and_keeps_nothing(
    disk, officer, officer_client, authority, team, make_user
):
    seed_children(authority, team, make_user("social_worker"))
    earlier = run_return(officer)  # a good return from before the disk filled up
    assert earlier.status == RunStatus.DONE and earlier.files

    disk.fill()
    run = run_return(officer)

    # The run failed, saying what happened and what to do, and lists no files.
    assert run.status == RunStatus.FAILED
    assert run.error == MESSAGE
    assert run.files == []
    assert run.finished_at is not None
    # Nothing partial anywhere: no run folder, no staging folder (".<run id>-…") left beside the others.
    assert returns_folder_entries(disk.root) == [str(earlier.pk)]
    assert not services.run_directory(run).exists()

    # No file of the failed run can be downloaded, from the pages or the API.
    for name in ssda903.FILES:
        assert officer_client.get(reverse("return_file", args=[run.pk, name])).status_code == 404
        assert officer_client.get(f"/api/v1/returns/{run.pk}/files/{name}").status_code == 404
    api = officer_client.get(f"/api/v1/returns/{run.pk}/").json()
    assert (api["status"], api["files"], api["error"]) == ("failed", [], MESSAGE)

    # The pages say so: Failed in the list, the message (and no file table) on the run's page.
    listing = officer_client.get(reverse("returns")).content.decode()
    assert reverse("return_detail", args=[run.pk]) in listing and "Failed" in listing
    page = officer_client.get(reverse("return_detail", args=[run.pk])).content.decode()
    assert "The return could not be generated" in page and MESSAGE in page
    assert 'id="files-heading"' not in page and "return_file" not in page and "/files/" not in page

    # The earlier return is untouched and still downloads whole.
    download = officer_client.get(reverse("return_file", args=[earlier.pk, "header.csv"]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"CHILD,SEX,DOB")

    # Once space is freed, the same return generates normally.
    disk.free()
    again = run_return(officer)
    assert again.status == RunStatus.DONE, again.error
    assert {f["name"] for f in again.files} == set(ssda903.FILES)
    assert returns_folder_entries(disk.root) == sorted([str(earlier.pk), str(again.pk)])
