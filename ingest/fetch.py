"""Fetch feed documents politely and defensively.

One `Fetcher` holds one httpx.AsyncClient for a whole poll. Every fetch is bounded: a
semaphore limits concurrency, httpx limits connect and read waits, and a total deadline cuts
off servers that drip a byte at a time. Bodies are decompressed here, chunk by bounded chunk,
so the size cap counts decompressed bytes and a gzip bomb stops at the cap instead of filling
memory. Redirects are followed by hand so each hop's scheme can be checked. Nothing raises:
every failure becomes a short message in `FetchResponse.error`.
"""

from __future__ import annotations

import asyncio
import errno
import http
import socket
import ssl
import stat
import time
import zlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import httpx

from .sanitize import one_line

MB = 1024 * 1024
PROJECT_URL = "https://github.com/sitboard/sitboard"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
REDIRECTS = (301, 302, 303, 307, 308)
# Headers that describe the transfer, not the document; dropped because the body is decoded.
_TRANSFER_HEADERS = ("content-encoding", "content-length", "transfer-encoding")


def default_user_agent() -> str:
    try:
        from sitboard import __version__
    except ImportError:  # ingest used on its own
        __version__ = "0"
    return f"sitboard/{__version__} (+{PROJECT_URL}; RSS reader)"


@dataclass(frozen=True, slots=True)
class FetchResponse:
    """What one fetch produced: a body, a 304, or an error message."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int | None  # HTTP status; None for files and network errors
    content: bytes = b""  # decompressed body
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None  # short human message; None on success
    retry_after: float | None = None  # seconds the server asked us to wait (429/503)
    elapsed: float = 0.0
    requests: int = 0  # HTTP requests sent, redirects included

    @property
    def ok(self) -> bool:
        return self.error is None


class _Failure(Exception):
    """A fetch failure with a message fit for the user."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


def format_size(size: int) -> str:
    if size >= MB and size % MB == 0:
        return f"{size // MB} MB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def _seconds(value: float) -> str:
    return f"{value:g}"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _header_token(value: str | None) -> str | None:
    """A validator worth echoing back: printable ASCII of sane length, else None."""
    if not value or len(value) > 512 or not value.isascii() or not value.isprintable():
        return None
    return value


class _Body:
    """Decompresses a response body while counting decompressed bytes against a cap."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.data = bytearray()
        self.encoding = encoding
        self.inflater: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip"):
            self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.inflater = zlib.decompressobj()
        self.started = False

    def _append(self, chunk: bytes) -> None:
        self.data += chunk
        if len(self.data) > self.limit:
            raise _Failure(f"response larger than {format_size(self.limit)}")

    def _inflate(self, chunk: bytes) -> None:
        assert self.inflater is not None
        while chunk:
            out = self.inflater.decompress(chunk, self.limit + 1 - len(self.data))
            self._append(out)
            chunk = self.inflater.unconsumed_tail
            if self.inflater.eof and self.inflater.unused_data:
                # A second gzip member (concatenated gzip is legal): start a new inflater.
                chunk = self.inflater.unused_data
                self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, chunk: bytes) -> None:
        if self.inflater is None:
            self._append(chunk)
            return
        try:
            if self.encoding == "deflate" and not self.started:
                self.started = True
                try:
                    self._inflate(chunk)
                except zlib.error:
                    # Many servers send raw deflate without the zlib wrapper.
                    self.data.clear()
                    self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._inflate(chunk)
                return
            self._inflate(chunk)
        except zlib.error as exc:
            raise _Failure(f"could not decompress the response ({self.encoding}): {exc}") from None

    def finish(self) -> bytes:
        if self.inflater is not None:
            try:
                self._append(self.inflater.flush())
            except zlib.error as exc:
                raise _Failure(f"could not decompress the response: {exc}") from None
        return bytes(self.data)


def _network_message(exc: BaseException, host: str) -> str:
    """A short message for an httpx transport error, from the OS error underneath."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for cause in chain:
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ConnectionResetError):
            return "connection reset by the server"
        if isinstance(cause, socket.gaierror):
            return f"host not found: {host}"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate not accepted: {cause.verify_message or cause.reason}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error: {cause.reason or cause}"
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "network unreachable"
    text = str(exc)
    if isinstance(exc, httpx.RemoteProtocolError):
        if "without sending" in text or "disconnected" in text.lower():
            return "connection closed by the server before a complete response"
        return f"protocol error: {text}"
    if "Connection refused" in text:
        return "connection refused"
    if "reset" in text.lower():
        return "connection reset by the server"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return f"host not found: {host}"
    return f"connection error: {text or type(exc).__name__}"


def file_path(url: str) -> Path | None:
    """The filesystem path of a file:// URL or a plain path; None for other URLs."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise _Failure(f"file:// URL with a host ({parts.netloc}) is not supported")
        return Path(url2pathname(unquote(parts.path)))
    if parts.scheme in ("http", "https"):
        return None
    if len(parts.scheme) > 1 and "://" in url:  # another scheme; a Windows "C:" is a path
        raise _Failure(f"unsupported URL scheme '{parts.scheme}:'")
    return Path(url).expanduser()


def _read_file(path: Path, limit: int, etag: str | None) -> tuple[bytes | None, str]:
    """Read a regular file of at most `limit` bytes; (None, tag) when its tag equals `etag`."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise _Failure(f"is a folder, not a feed file: {path}")
        if not stat.S_ISREG(info.st_mode):
            # FIFOs and devices could block or never end.
            raise _Failure(f"not a regular file: {path}")
        tag = f'"{info.st_mtime_ns:x}-{info.st_size:x}"'
        if etag is not None and etag == tag:
            return None, tag
        if info.st_size > limit:
            raise _Failure(f"file larger than {format_size(limit)}: {path}")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise _Failure(f"file not found: {path}") from None
    except PermissionError:
        raise _Failure(f"permission denied: {path}") from None
    except OSError as exc:
        raise _Failure(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _Failure(f"file larger than {format_size(limit)}: {path}")
    return data, tag


class Fetcher:
    """Fetches feeds over HTTP(S) and from files, with limits: `async with Fetcher() as f`."""

    def __init__(
        self,
        *,
        concurrency: int = 8,
        timeout: float = 20.0,
        connect_timeout: float = 10.0,
        read_timeout: float | None = None,
        max_bytes: int = 10 * MB,
        max_redirects: int = 5,
        user_agent: str | None = None,
        trust_env: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.timeout = timeout  # total deadline per fetch, redirects and body included
        self.connect_timeout = min(connect_timeout, timeout)
        self.read_timeout = min(read_timeout or timeout, timeout)
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.user_agent = user_agent or default_user_agent()
        self.requests = 0  # HTTP requests sent through this fetcher
        self._concurrency = concurrency
        self._trust_env = trust_env
        self._transport = transport
        self._semaphore = asyncio.Semaphore(concurrency)
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Fetcher:
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(
                connect=self.connect_timeout,
                read=self.read_timeout,
                write=self.read_timeout,
                pool=None,  # the semaphore already bounds waiting for a connection
            ),
            limits=httpx.Limits(max_connections=self._concurrency, max_keepalive_connections=8),
            follow_redirects=False,
            trust_env=self._trust_env,
            transport=self._transport,
            headers={
                "User-Agent": self.user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": "gzip, deflate",
                "Accept-Language": "ar, en;q=0.5",
            },
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResponse:
        """Fetch one feed. Never raises (except cancellation); failures are in `.error`."""
        async with self._semaphore:
            started = time.monotonic()
            sent_before = self.requests
            try:
                async with asyncio.timeout(self.timeout):
                    path = file_path(url)
                    if path is not None:
                        response = await self._fetch_file(url, path, etag)
                    else:
                        response = await self._fetch_http(url, etag, last_modified)
            except _Failure as failure:
                response = FetchResponse(
                    url=url,
                    final_url=url,
                    status=failure.status,
                    error=failure.message,
                    retry_after=failure.retry_after,
                )
            except TimeoutError:
                response = FetchResponse(
                    url=url,
                    final_url=url,
                    status=None,
                    error=f"timed out after {_seconds(self.timeout)} s",
                )
            except Exception as exc:  # a bug or an exotic error must not stop the poll
                message = one_line(f"{type(exc).__name__}: {exc}")[:300]
                response = FetchResponse(
                    url=url, final_url=url, status=None, error=f"unexpected error: {message}"
                )
            return replace(
                response, elapsed=time.monotonic() - started, requests=self.requests - sent_before
            )

    async def _fetch_file(self, url: str, path: Path, etag: str | None) -> FetchResponse:
        data, tag = await asyncio.to_thread(_read_file, path, self.max_bytes, etag)
        location = url if "://" in url else path.absolute().as_uri()
        if data is None:
            return FetchResponse(url=url, final_url=url, status=None, etag=tag, not_modified=True)
        return FetchResponse(
            url=url,
            final_url=url,
            status=None,
            content=data,
            # A file has no media type; calling it XML lets feedparser sniff the document
            # (and its declared encoding) instead of flagging a missing Content-Type.
            headers={"content-location": location, "content-type": "application/xml"},
            etag=tag,
        )

    async def _fetch_http(
        self, url: str, etag: str | None, last_modified: str | None
    ) -> FetchResponse:
        if self._client is None:
            raise RuntimeError("use Fetcher as an async context manager")
        headers: dict[str, str] = {}
        if _header_token(etag):
            headers["If-None-Match"] = etag  # type: ignore[assignment]
        if _header_token(last_modified):
            headers["If-Modified-Since"] = last_modified  # type: ignore[assignment]
        current = url
        for hop in range(self.max_redirects + 1):
            try:
                target = httpx.URL(current)
            except (httpx.InvalidURL, ValueError) as exc:
                raise _Failure(f"invalid URL: {one_line(str(exc))[:200]}") from None
            host = target.host
            try:
                self.requests += 1
                async with self._client.stream("GET", target, headers=headers) as response:
                    status = response.status_code
                    if status in REDIRECTS and "location" in response.headers:
                        if hop == self.max_redirects:
                            raise _Failure(
                                f"too many redirects (more than {self.max_redirects})", status
                            )
                        current = self._redirect_target(response)
                        continue
                    return await self._read_response(url, response)
            except httpx.ConnectTimeout:
                raise _Failure(
                    f"could not connect within {_seconds(self.connect_timeout)} s"
                ) from None
            except httpx.TimeoutException:
                raise _Failure(f"timed out after {_seconds(self.read_timeout)} s") from None
            except httpx.UnsupportedProtocol as exc:
                raise _Failure(f"unsupported URL: {one_line(str(exc))[:200]}") from None
            except (httpx.InvalidURL, httpx.LocalProtocolError) as exc:
                raise _Failure(f"invalid request: {one_line(str(exc))[:200]}") from None
            except httpx.TransportError as exc:
                raise _Failure(one_line(_network_message(exc, host))[:300]) from None
        raise _Failure(f"too many redirects (more than {self.max_redirects})")  # pragma: no cover

    def _redirect_target(self, response: httpx.Response) -> str:
        location = response.headers["location"]
        try:
            target = response.url.join(location)
        except (httpx.InvalidURL, ValueError):
            raise _Failure(f"redirect to an invalid URL: {one_line(location)[:200]}") from None
        if target.scheme not in ("http", "https"):
            raise _Failure(
                f"redirect to a {one_line(target.scheme)[:20]}: URL refused "
                "(only http and https are followed)",
                response.status_code,
            )
        return str(target)

    async def _read_response(self, url: str, response: httpx.Response) -> FetchResponse:
        status = response.status_code
        final_url = str(response.url)
        if status == 304:
            return FetchResponse(
                url=url,
                final_url=final_url,
                status=status,
                not_modified=True,
                etag=_header_token(response.headers.get("etag")),
                last_modified=_header_token(response.headers.get("last-modified")),
            )
        if not 200 <= status < 300:
            # The standard phrase where there is one: servers send "NOT FOUND", "Not found", ...
            reason = _reason(status) or response.reason_phrase
            message = one_line(f"HTTP {status} {reason}".strip())[:200]
            # Retry-After matters most on 429 and 503, but is honoured wherever it is sent.
            retry = parse_retry_after(response.headers.get("retry-after"))
            raise _Failure(message, status, retry)
        encodings = [
            part.strip().lower()
            for part in response.headers.get("content-encoding", "").split(",")
            if part.strip() and part.strip().lower() != "identity"
        ]
        if len(encodings) > 1 or (encodings and encodings[0] not in ("gzip", "x-gzip", "deflate")):
            raise _Failure(
                f"unsupported Content-Encoding {one_line(', '.join(encodings))[:40]!r}", status
            )
        declared = response.headers.get("content-length", "")
        if not encodings and declared.isdigit() and int(declared) > self.max_bytes:
            raise _Failure(f"response larger than {format_size(self.max_bytes)}", status)
        body = _Body(encodings[0] if encodings else "identity", self.max_bytes)
        try:
            async for chunk in response.aiter_raw():
                body.feed(chunk)
        except _Failure as failure:
            failure.status = status
            raise
        content = body.finish()
        headers = {
            name.lower(): value
            for name, value in response.headers.items()
            if name.lower() not in _TRANSFER_HEADERS
        }
        headers.setdefault("content-location", final_url)
        return FetchResponse(
            url=url,
            final_url=final_url,
            status=status,
            content=content,
            headers=headers,
            etag=_header_token(response.headers.get("etag")),
            last_modified=_header_token(response.headers.get("last-modified")),
        )


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


__all__ = [
    "MB",
    "FetchResponse",
    "Fetcher",
    "default_user_agent",
    "file_path",
    "format_size",
    "parse_retry_after",
]
