#!/usr/bin/env python3
"""A Docker Engine API socket that misbehaves, for t-faults.sh.

    fake_docker.py SOCKET MODE [--seconds N] [--conns N] [--log FILE]

Listens on the unix socket SOCKET and answers every connection as MODE says:

    hang       accepts and reads the request, never answers
    garbage    4 KiB of random bytes, then closes
    huge       a valid HTTP 200 header, then a 100 MB body, streamed
    midclose   headers with Content-Length 5000, 100 bytes of body, close
    slowloris  a valid response, one byte per second
    pinghang   answers GET /_ping like dockerd, hangs on anything else (a
               daemon whose container lock is stuck)
    html404    HTTP 404 with an HTML page, as a web server that is not
               Docker would answer (not Docker's JSON "No such container")

It stops by itself after --seconds (default 60) or once --conns
connections (default 20) have been served, and removes its socket. With
--log, a line "conn=N accepted" as each connection comes, and one
"conn=N path=PATH sent=BYTES end=REASON" as it ends.
Standard library only.
"""
import argparse
import os
import socket
import sys
import threading
import time

PING = (b"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: text/plain\r\n"
        b"Content-Length: 2\r\nServer: Docker/24.0.0 (linux)\r\n\r\nOK")
HUGE_LEN = 100 * 1000 * 1000


class Conn:
    def __init__(self, sock, n, stop, log):
        self.sock, self.n, self.stop, self.log = sock, n, stop, log
        self.path, self.sent = "-", 0

    def read_request(self):
        """The request line's path; never waits more than 2 s."""
        self.sock.settimeout(2)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = self.sock.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        parts = data.split(b"\r\n", 1)[0].split(b" ")
        if len(parts) >= 2:
            self.path = parts[1].decode("latin-1")

    def send(self, data):
        self.sock.sendall(data)
        self.sent += len(data)

    def hold(self):
        """Keep the connection open, silent, until the client leaves."""
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                if not self.sock.recv(4096):
                    return "client closed"
            except socket.timeout:
                continue
            except OSError as e:
                return "client gone (%s)" % e.strerror
        return "server stopped"

    def hang(self):
        return self.hold()

    def garbage(self):
        self.send(os.urandom(4096))
        return "sent garbage"

    def huge(self):
        self.send(b"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\n"
                  b"Content-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n" % HUGE_LEN)
        chunk = b"a" * 65536
        left = HUGE_LEN
        while left > 0 and not self.stop.is_set():
            self.send(chunk[:left])
            left -= min(left, len(chunk))
        return "body sent" if left == 0 else "server stopped"

    def midclose(self):
        self.send(b"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\n"
                  b"Content-Type: application/json\r\n"
                  b"Content-Length: 5000\r\n\r\n")
        self.send(b'{"Id": "' + b"f" * 91 + b'"')
        return "closed mid-body"

    def slowloris(self):
        for i in range(len(PING)):
            if self.stop.wait(1 if i else 0):
                return "server stopped"
            self.send(PING[i:i + 1])
        return "response sent"

    def pinghang(self):
        if self.path.split("?")[0].endswith("/_ping"):
            self.send(PING)
            return "answered the ping"
        return self.hold()

    def html404(self):
        body = b"<html><body><h1>404 Not Found</h1></body></html>"
        self.send(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(body) + body)
        return "answered 404"

    def serve(self, mode):
        self.read_request()
        try:
            end = getattr(self, mode)()
        except OSError as e:
            end = "client gone (%s)" % (e.strerror or e)
        try:
            self.sock.close()
        except OSError:
            pass
        if self.log:
            with open(self.log, "a") as f:
                f.write("conn=%d path=%s sent=%d end=%s\n"
                        % (self.n, self.path, self.sent, end))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("socket")
    ap.add_argument("mode", choices=["hang", "garbage", "huge", "midclose",
                                     "slowloris", "pinghang", "html404"])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--conns", type=int, default=20)
    ap.add_argument("--log")
    a = ap.parse_args()

    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(a.socket)
    srv.listen(16)
    srv.settimeout(0.2)
    stop = threading.Event()
    end = time.monotonic() + a.seconds
    threads = []
    n = 0
    try:
        while n < a.conns and time.monotonic() < end:
            try:
                c, _ = srv.accept()
            except socket.timeout:
                continue
            n += 1
            if a.log:
                with open(a.log, "a") as f:
                    f.write("conn=%d accepted\n" % n)
            t = threading.Thread(target=Conn(c, n, stop, a.log).serve,
                                 args=(a.mode,), daemon=True)
            t.start()
            threads.append(t)
        # the last connections get what time is left
        for t in threads:
            t.join(max(0, end - time.monotonic()))
    finally:
        stop.set()
        for t in threads:
            t.join(2)
        srv.close()
        try:
            os.unlink(a.socket)
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
