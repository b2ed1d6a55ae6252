"""A plain TCP client: once a second it connects to the echo server, sends a line and checks the echo."""
import os
import socket
import time

host, port = os.environ.get("ECHO_ADDR", "echo.shop:7000").rsplit(":", 1)
n = 0
while True:
    n += 1
    try:
        with socket.create_connection((host, int(port)), timeout=5) as s:
            line = f"ping {n}\n".encode()
            s.sendall(line)
            got = s.makefile("rb").readline()
            print("ok" if got == line else f"mismatch: {got!r}", n, flush=True)
    except OSError as err:
        print(f"echo {host}:{port} failed: {err}", flush=True)
    time.sleep(1)
