"""An ASGI middleware for request bodies: a size limit (413), and gzip request bodies.

It runs before FastAPI parses anything, so an oversized or bomb-compressed body is refused
with nothing read beyond the limit and nothing written.
"""

from __future__ import annotations

import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        encoding = headers.get("content-encoding", "identity").lower()
        if encoding not in ("identity", "gzip"):
            await _refuse(send, 415, "unsupported_encoding", "only gzip request bodies")
            return
        declared = headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(send, 413, "too_large", f"request body over {self.max_bytes} bytes")
            return
        body = await self._read(receive)
        if body is None:
            await _refuse(send, 413, "too_large", f"request body over {self.max_bytes} bytes")
            return
        if encoding == "gzip":
            body = self._gunzip(body)
            if body is None:
                await _refuse(send, 413, "too_large", "body too large or not valid gzip")
                return
        scope["headers"] = [
            (k, v)
            for k, v in scope["headers"]
            if k.lower() not in (b"content-encoding", b"content-length")
        ]
        scope["headers"].append((b"content-length", str(len(body)).encode()))
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"".join(chunks)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body"):
                return b"".join(chunks)

    def _gunzip(self, body: bytes) -> bytes | None:
        inflater = zlib.decompressobj(wbits=31)
        try:
            out = inflater.decompress(body, self.max_bytes + 1)
        except zlib.error:
            return None
        if len(out) > self.max_bytes or inflater.unconsumed_tail or not inflater.eof:
            return None
        return out


async def _refuse(send: Send, status: int, code: str, reason: str) -> None:
    payload = orjson.dumps({"error": code, "reason": reason})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
