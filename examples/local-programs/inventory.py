"""A small inventory service: GET /items answers a JSON list. Plain Python, standard library only."""
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ITEMS = [{"sku": "bk-1", "name": "A Book", "stock": 12}, {"sku": "bk-2", "name": "Another Book", "stock": 3}]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/healthz":
            body, status = b"ok\n", 200
        elif self.path == "/items":
            body, status = json.dumps(ITEMS).encode(), 200
        else:
            body, status = b"not found\n", 404
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if status == 200 and self.path == "/items" else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


port = int(os.environ.get("PORT", "8000"))
print(f"inventory listening on :{port}", flush=True)
ThreadingHTTPServer(("0.0.0.0", port), Handler).serve_forever()
