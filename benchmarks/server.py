"""A small keep-alive HTTP/1.1 server for the benchmark corpus (run as a subprocess).

``python -m benchmarks.server PORTFILE [--validators] [--latency SECONDS]`` serves
`benchmarks.corpus.build_corpus` on 127.0.0.1. With ``--validators`` every
response carries an ETag and Last-Modified and conditional requests get 304;
without, every request gets a full 200 with the same body.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
from pathlib import Path

from benchmarks.corpus import build_corpus

LAST_MODIFIED = "Mon, 01 Sep 2025 12:00:00 GMT"


def main() -> None:
    """Serve until killed; write the chosen port to PORTFILE once listening."""
    parser = argparse.ArgumentParser()
    parser.add_argument("portfile", type=Path)
    parser.add_argument("--validators", action="store_true")
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    corpus = build_corpus()
    etags = {path: '"' + hashlib.sha1(body).hexdigest()[:16] + '"' for path, body in corpus.items()}

    def respond(path: str, headers: dict[str, str]) -> bytes:
        body = corpus.get(path)
        if body is None:
            return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        extra = ""
        if args.validators:
            etag = etags[path]
            if (
                headers.get("if-none-match") == etag
                or headers.get("if-modified-since") == LAST_MODIFIED
            ):
                return f"HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nContent-Length: 0\r\n\r\n".encode()
            extra = f"ETag: {etag}\r\nLast-Modified: {LAST_MODIFIED}\r\n"
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\n"
            f"{extra}Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request = await reader.readuntil(b"\r\n\r\n")
                lines = request.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else "/"
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        key, value = line.split(":", 1)
                        headers[key.strip().lower()] = value.strip()
                if args.latency:
                    await asyncio.sleep(args.latency)
                writer.write(respond(path, headers))
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=512)
        args.portfile.write_text(str(server.sockets[0].getsockname()[1]))
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
