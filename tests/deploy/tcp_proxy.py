"""A TCP proxy on loopback that a test controls, to put a PostgreSQL (or any server) in front
of the portal's processes and make it fail as a real one does:

- "forward": bytes go both ways (the server is well);
- "stopped": every connection, new or open, is reset (the server was stopped: refused);
- "frozen": connections are accepted and nothing is forwarded either way (the server hangs:
  the kernel still acknowledges what is sent, nothing ever answers).

The machine's own server is never touched: only the proxy's sockets change.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading

FORWARD, STOPPED, FROZEN = "forward", "stopped", "frozen"


def _reset(sock: socket.socket) -> None:
    """Close with a reset (SO_LINGER 0), as a stopped server's kernel answers."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class TCPProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.mode = FORWARD
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    # --- control ---------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        assert mode in (FORWARD, STOPPED, FROZEN)
        self.mode = mode
        if mode == STOPPED:
            self._reset_all()
        elif mode == FORWARD:
            # Connections held while frozen never reached the server: close them.
            self._reset_all()

    def close(self) -> None:
        self._closed.set()
        self._reset_all()
        with contextlib.suppress(OSError):
            self.listener.close()
        self._thread.join(timeout=5)

    # --- inside ----------------------------------------------------------------------------

    def _track(self, *socks: socket.socket) -> None:
        with self._lock:
            self._sockets.update(socks)

    def _reset_all(self) -> None:
        with self._lock:
            socks, self._sockets = self._sockets, set()
        for sock in socks:
            _reset(sock)

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.mode == STOPPED:
                _reset(client)
                continue
            if self.mode == FROZEN:
                self._track(client)  # accepted, never answered
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                continue
            self._track(client, upstream)
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        peers = {client: upstream, upstream: client}
        try:
            while not self._closed.is_set():
                if self.mode == FROZEN:
                    self._closed.wait(0.05)  # read nothing, forward nothing
                    continue
                if self.mode == STOPPED:
                    break
                readable, _, _ = select.select(list(peers), [], [], 0.1)
                for sock in readable:
                    if self.mode != FORWARD:
                        break
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except (OSError, ValueError):  # reset by set_mode() meanwhile (its descriptor is -1)
            pass
        finally:
            for sock in (client, upstream):
                _reset(sock)
            with self._lock:
                self._sockets.discard(client)
                self._sockets.discard(upstream)
