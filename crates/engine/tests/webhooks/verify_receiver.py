"""A webhook receiver that verifies every request with the Standard Webhooks reference
library (PyPI `standardwebhooks`), as a reseller's site would.

Prints its port, reads the `whsec_` secret from stdin, then prints one JSON line per
request: {"ok": bool, "id": webhook-id, "type": payload type, "error": why not}.
Answers 204 when the signature verifies, 400 otherwise.
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks.webhooks import Webhook


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            payload = WEBHOOK.verify(body, headers)
            line = {"ok": True, "id": headers.get("webhook-id"), "type": payload["type"]}
        except Exception as e:  # the library's verification errors
            line = {"ok": False, "id": headers.get("webhook-id"), "error": repr(e)}
        print(json.dumps(line), flush=True)
        self.send_response(204 if line["ok"] else 400)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
WEBHOOK = Webhook(sys.stdin.readline().strip())
server.serve_forever()
