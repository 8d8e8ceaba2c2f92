#!/usr/bin/env python3
"""Serves a directory on 127.0.0.1 on a free port (or on PORT) for podcrawl's demo; prints the
port, then serves until killed. Loopback only: the demo never touches the network.
Usage: demo/serve.py DIR [PORT]"""
import functools
import http.server
import sys

directory = sys.argv[1] if len(sys.argv) > 1 else "."


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass


handler = functools.partial(QuietHandler, directory=directory)
port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
print(server.server_address[1], flush=True)
server.serve_forever()
