"""The demo's mailbox (`make run`): every email the service sends is a file a person can open under var/mail/."""

import email
from email import policy

from django.core import mail

from config.demo_mail import MailboxBackend


def test_each_message_is_one_eml_file_a_mail_program_can_read(tmp_path):
    connection = MailboxBackend(file_path=tmp_path)
    sent = mail.send_mass_mail(
        [
            ("High risk: a child is missing", "Open the alert: http://localhost/alerts/1/", "cmfc@example.org", [to])
            for to in ["duty.manager@example.org", "duty.manager@example.org", "advocate@example.org"]
        ],
        connection=connection,
    )
    files = sorted(tmp_path.glob("*.eml"))
    assert sent == 3 and len(files) == 3  # two to the same person in the same instant are two files, not one
    messages = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert sorted(m["To"] for m in messages) == sorted(
        ["duty.manager@example.org", "duty.manager@example.org", "advocate@example.org"]
    )
    assert all(m["Subject"] == "High risk: a child is missing" for m in messages)
    assert "Open the alert: http://localhost/alerts/1/" in messages[0].get_content()


def test_a_message_with_no_recipient_writes_nothing(tmp_path):
    assert (
        MailboxBackend(file_path=tmp_path).send_messages([mail.EmailMessage("Subject", "Body", "a@example.org")]) == 0
    )
    assert list(tmp_path.iterdir()) == []
