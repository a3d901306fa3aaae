"""A small real SMTP server on 127.0.0.1 for tests (the only thing tests replace is the SMTP
server): it speaks enough SMTP for Django's SMTP backend (EHLO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT) and keeps what it receives."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from contextlib import contextmanager


@contextmanager
def silent_mailer(settings, *, timeout: float = 1):
    """settings.MAILERS pointed at a local server that accepts the connection and never
    greets (a mail server that hangs): each attempt waits `timeout` seconds."""
    silent = socket.create_server(("127.0.0.1", 0))
    mailers = smtp_mailers(silent.getsockname()[1])
    mailers["default"]["OPTIONS"]["timeout"] = timeout
    settings.MAILERS = mailers
    try:
        yield
    finally:
        silent.close()


def smtp_mailers(port: int) -> dict:
    """settings.MAILERS for Django's SMTP backend pointed at 127.0.0.1:`port`."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


class SMTPStandIn:
    """Accepts every message; `data_delay` seconds before answering DATA (a slow server).
    `refuse_at`: "greeting" answers 554 at once, "recipient" refuses every RCPT with 550 (a
    server that refuses). `commands` lists the SMTP verbs received."""

    def __init__(self, port: int = 0, *, data_delay: float = 0.0, refuse_at: str | None = None):
        self.data_delay = data_delay
        self.refuse_at = refuse_at
        self.commands: list[str] = []
        self.sock = socket.create_server(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.messages: list[dict] = []  # {"from", "rcpt": [...], "message": email.message}
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def session(self, conn):
        with conn, conn.makefile("rb") as lines:
            if self.refuse_at == "greeting":
                conn.sendall(b"554 5.3.2 Service indisponible\r\n")
                return
            conn.sendall(b"220 stand-in ESMTP\r\n")
            sender, recipients = None, []
            for raw in lines:
                command = raw.decode("utf-8", "replace").strip()
                verb = command.split(" ")[0].upper()
                with self.lock:
                    self.commands.append(verb)
                if verb == "RCPT" and self.refuse_at == "recipient":
                    conn.sendall(b"550 5.1.1 Destinataire inconnu\r\n")
                elif verb in ("EHLO", "HELO"):
                    conn.sendall(b"250-stand-in\r\n250 8BITMIME\r\n")
                elif verb == "MAIL":
                    sender, recipients = command[10:].strip(), []
                    conn.sendall(b"250 2.1.0 Ok\r\n")
                elif verb == "RCPT":
                    recipients.append(command[8:].strip().strip("<>"))
                    conn.sendall(b"250 2.1.5 Ok\r\n")
                elif verb == "DATA":
                    conn.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    data = bytearray()
                    for line in lines:
                        if line in (b".\r\n", b".\n"):
                            break
                        data += line[1:] if line.startswith(b"..") else line
                    time.sleep(self.data_delay)
                    message = email.message_from_bytes(bytes(data), policy=email.policy.default)
                    with self.lock:
                        self.messages.append(
                            {"from": sender, "rcpt": recipients, "message": message}
                        )
                    conn.sendall(b"250 2.0.0 Ok: queued\r\n")
                elif verb == "QUIT":
                    conn.sendall(b"221 Bye\r\n")
                    break
                else:  # RSET, NOOP…
                    conn.sendall(b"250 Ok\r\n")

    def close(self):
        self.sock.close()
