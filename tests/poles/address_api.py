"""A local stand-in for the national address API: a small HTTP server on 127.0.0.1 that
answers with the recorded responses of tests/poles/recorded/ (never the network)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

RECORDED = Path(__file__).parent / "recorded"

# query word -> (status, recorded file or None, delay in seconds)
ROUTES = {
    "thébaudières": (200, "nantes-street.json", 0),
    "figeac": (200, "figeac-town.json", 0),
    "ailleurs": (200, "outside-france.json", 0),
    "mauvaise": (200, "low-score.json", 0),
    "panne": (500, None, 0),
    "lent": (200, "figeac-town.json", 2.0),
    "illisible": (200, "<html>not json</html>", 0),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        query = parse_qs(urlparse(self.path).query).get("q", [""])[0].lower()
        self.server.queries.append(query)
        status, name, delay = next(
            (route for word, route in ROUTES.items() if word in query), (200, "empty.json", 0)
        )
        if delay:
            time.sleep(delay)
        if name and name.endswith(".json"):
            body = json.dumps(json.loads((RECORDED / name).read_text("utf-8"))).encode()
        else:
            body = (name or "erreur interne").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    server.queries = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server
