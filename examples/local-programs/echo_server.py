"""A plain TCP echo server: every line received is sent back. No HTTP at all."""
import os
import socketserver


class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)


port = int(os.environ.get("PORT", "7000"))
print(f"echo server on :{port}", flush=True)
socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer(("0.0.0.0", port), Echo).serve_forever()
