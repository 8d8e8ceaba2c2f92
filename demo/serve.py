#!/usr/bin/env python3
"""Serves a directory on 127.0.0.1 on a free port for podcrawl's demo; prints the port, then serves
until killed. Loopback only: the demo never touches the network."""
import functools
import http.server
import sys

directory = sys.argv[1] if len(sys.argv) > 1 else "."


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass


handler = functools.partial(QuietHandler, directory=directory)
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(server.server_address[1], flush=True)
server.serve_forever()
