"""The demo's mailbox: each email the service sends is written as one ``.eml`` file under ``EMAIL_FILE_PATH``
(``var/mail/`` for `make run`), readable in any mail program or text editor. Never for production:
config.required_settings refuses it unless DEMO is on."""

import re
import threading
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

_lock = threading.Lock()


class MailboxBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            to = re.sub(r"[^\w.@-]+", "_", message.recipients()[0])[:60]
            with _lock:
                path = self.directory / f"{stamp}-{to}.eml"
                n = 1
                while path.exists():
                    path = self.directory / f"{stamp}-{to}-{n}.eml"
                    n += 1
                path.write_bytes(message.message().as_bytes(linesep="\n"))
            sent += 1
        return sent
