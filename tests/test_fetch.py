from __future__ import annotations

import asyncio
import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sitboard.ingest.fetch import MB, Fetcher, parse_retry_after
from werkzeug import Request, Response

FEED = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>قناة</title>'
FEED += "<item><title>حلب</title><guid>g1</guid></item></channel></rss>"
FEED_BYTES = FEED.encode()


async def fetch(url: str, **options: object) -> object:
    async with Fetcher(trust_env=False, **options) as fetcher:  # type: ignore[arg-type]
        return await fetcher.fetch(url)


def zeros_gzip(total: int) -> bytes:
    """gzip of `total` zero bytes, compressed in chunks so the test never holds them all."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(MB)
    parts = [packer.compress(block) for _ in range(total // MB)]
    parts.append(packer.flush())
    return b"".join(parts)


# --- success -------------------------------------------------------------------------------


async def test_ok_returns_body_headers_and_validators(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/feed").respond_with_data(
        FEED_BYTES,
        content_type="application/rss+xml; charset=utf-8",
        headers={"ETag": '"v1"', "Last-Modified": "Sat, 30 Nov 2024 10:00:00 GMT"},
    )
    response = await fetch(feed_server.url_for("/feed"))
    assert response.ok and response.error is None
    assert response.status == 200
    assert response.content == FEED_BYTES
    assert response.etag == '"v1"'
    assert response.last_modified == "Sat, 30 Nov 2024 10:00:00 GMT"
    assert response.headers["content-type"].startswith("application/rss+xml")
    assert response.requests == 1
    request, _ = feed_server.log[-1]
    assert request.headers["User-Agent"].startswith("sitboard/")
    assert "RSS reader" in request.headers["User-Agent"]
    assert "application/rss+xml" in request.headers["Accept"]
    assert "If-None-Match" not in request.headers


async def test_conditional_request_gets_not_modified(feed_server: HTTPServer) -> None:
    feed_server.expect_request(
        "/feed",
        headers={"If-None-Match": '"v1"', "If-Modified-Since": "Sat, 30 Nov 2024 10:00:00 GMT"},
    ).respond_with_data(b"", status=304, headers={"ETag": '"v1"'})
    async with Fetcher(trust_env=False) as fetcher:
        response = await fetcher.fetch(
            feed_server.url_for("/feed"),
            etag='"v1"',
            last_modified="Sat, 30 Nov 2024 10:00:00 GMT",
        )
    assert response.ok
    assert response.not_modified
    assert response.status == 304
    assert response.content == b""
    assert response.etag == '"v1"'


async def test_gzip_body_is_decoded(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/gz").respond_with_data(
        gzip.compress(FEED_BYTES), headers={"Content-Encoding": "gzip"}
    )
    response = await fetch(feed_server.url_for("/gz"))
    assert response.content == FEED_BYTES
    assert "content-encoding" not in response.headers


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS])
async def test_deflate_with_and_without_zlib_wrapper(feed_server: HTTPServer, wbits: int) -> None:
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = packer.compress(FEED_BYTES) + packer.flush()
    feed_server.expect_request("/d").respond_with_data(
        body, headers={"Content-Encoding": "deflate"}
    )
    response = await fetch(feed_server.url_for("/d"))
    assert response.content == FEED_BYTES


async def test_unknown_content_encoding_is_an_error(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/br").respond_with_data(b"xx", headers={"Content-Encoding": "br"})
    response = await fetch(feed_server.url_for("/br"))
    assert response.error == "unsupported Content-Encoding 'br'"


async def test_redirect_is_followed(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/old").respond_with_data(
        b"", status=301, headers={"Location": "/new"}
    )
    feed_server.expect_request("/new").respond_with_data(FEED_BYTES)
    response = await fetch(feed_server.url_for("/old"))
    assert response.ok
    assert response.final_url == feed_server.url_for("/new")
    assert response.content == FEED_BYTES
    assert response.requests == 2


# --- HTTP errors ---------------------------------------------------------------------------


async def test_404(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/missing").respond_with_data(b"nope", status=404)
    response = await fetch(feed_server.url_for("/missing"))
    assert response.error == "HTTP 404 Not Found"
    assert response.status == 404
    assert not response.ok


async def test_500(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/boom").respond_with_data(b"oops", status=500)
    response = await fetch(feed_server.url_for("/boom"))
    assert response.error == "HTTP 500 Internal Server Error"
    assert response.retry_after is None


async def test_429_retry_after_seconds(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/busy").respond_with_data(
        b"", status=429, headers={"Retry-After": "120"}
    )
    response = await fetch(feed_server.url_for("/busy"))
    assert response.error == "HTTP 429 Too Many Requests"
    assert response.retry_after == 120.0


async def test_503_retry_after_http_date(feed_server: HTTPServer) -> None:
    later = datetime.now(UTC) + timedelta(hours=2)
    feed_server.expect_request("/down").respond_with_data(
        b"", status=503, headers={"Retry-After": format_datetime(later, usegmt=True)}
    )
    response = await fetch(feed_server.url_for("/down"))
    assert response.error == "HTTP 503 Service Unavailable"
    assert response.retry_after is not None
    assert 7000 < response.retry_after <= 7200


def test_parse_retry_after_forms() -> None:
    now = datetime(2024, 12, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30.0
    assert parse_retry_after("Sun, 01 Dec 2024 12:10:00 GMT", now) == 600.0
    assert parse_retry_after("Sun, 01 Dec 2024 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


# --- limits --------------------------------------------------------------------------------


async def test_total_deadline_cuts_off_a_slow_drip(feed_server: HTTPServer) -> None:
    def drip() -> Iterator[bytes]:
        for _ in range(40):
            yield b" "
            time.sleep(0.1)

    feed_server.expect_request("/drip").respond_with_response(Response(drip()))
    started = time.monotonic()
    response = await fetch(feed_server.url_for("/drip"), timeout=1.0)
    assert response.error == "timed out after 1 s"
    assert time.monotonic() - started < 3.5  # the drip alone would take 4 s


async def test_read_timeout_when_the_server_says_nothing(feed_server: HTTPServer) -> None:
    def silent(request: Request) -> Response:
        time.sleep(1.0)
        return Response(FEED_BYTES)

    feed_server.expect_request("/silent").respond_with_handler(silent)
    response = await fetch(feed_server.url_for("/silent"), timeout=5.0, read_timeout=0.3)
    assert response.error == "timed out after 0.3 s"


async def test_declared_oversized_body_is_refused(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/big").respond_with_data(bytes(11 * MB))
    response = await fetch(feed_server.url_for("/big"))
    assert response.error == "response larger than 10 MB"
    assert response.content == b""


async def test_streamed_oversized_body_is_cut_at_the_cap(feed_server: HTTPServer) -> None:
    sent = []

    def endless() -> Iterator[bytes]:
        for _ in range(800):  # 50 MB if nobody stops reading
            sent.append(1)
            yield bytes(64 * 1024)

    feed_server.expect_request("/stream").respond_with_response(Response(endless()))
    response = await fetch(feed_server.url_for("/stream"), max_bytes=MB)
    assert response.error == "response larger than 1 MB"
    assert len(sent) < 800


async def test_gzip_bomb_is_cut_at_the_cap_without_inflating_it(feed_server: HTTPServer) -> None:
    bomb = zeros_gzip(200 * MB)  # about 200 KB on the wire
    assert len(bomb) < MB
    feed_server.expect_request("/bomb").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}
    )
    tracemalloc.start()
    try:
        response = await fetch(feed_server.url_for("/bomb"), max_bytes=2 * MB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.error == "response larger than 2 MB"
    assert peak < 20 * MB  # inflating one network chunk of this bomb would take ~64 MB


async def test_gzip_bomb_against_the_default_cap(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/bomb").respond_with_data(
        zeros_gzip(64 * MB), headers={"Content-Encoding": "gzip"}
    )
    response = await fetch(feed_server.url_for("/bomb"))
    assert response.error == "response larger than 10 MB"


async def test_redirect_loop(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/a").respond_with_data(b"", status=302, headers={"Location": "/b"})
    feed_server.expect_request("/b").respond_with_data(b"", status=302, headers={"Location": "/a"})
    response = await fetch(feed_server.url_for("/a"))
    assert response.error == "too many redirects (more than 5)"
    assert response.requests == 6


@pytest.mark.parametrize("target", ["ftp://example.org/feed.xml", "file:///etc/passwd"])
async def test_redirect_to_a_non_http_scheme_is_refused(
    feed_server: HTTPServer, target: str
) -> None:
    feed_server.expect_request("/r").respond_with_data(
        b"", status=302, headers={"Location": target}
    )
    response = await fetch(feed_server.url_for("/r"))
    scheme = target.split(":")[0]
    assert (
        response.error == f"redirect to a {scheme}: URL refused (only http and https are followed)"
    )
    assert response.content == b""


# --- network failures ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_connection_refused() -> None:
    response = await fetch(f"http://127.0.0.1:{free_port()}/feed")
    assert response.error == "connection refused"
    assert response.status is None


@pytest.fixture
def resetting_server() -> Iterator[str]:
    """A server that reads the request, then resets the connection (RST, not FIN)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(5)

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        conn.recv(65536)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/feed"
    thread.join(5)
    listener.close()


async def test_connection_reset(resetting_server: str) -> None:
    response = await fetch(resetting_server)
    assert response.error in (
        "connection reset by the server",
        "connection closed by the server before a complete response",
    )


async def test_unknown_host() -> None:
    response = await fetch("http://sitboard-test.invalid/feed")
    assert response.error == "host not found: sitboard-test.invalid"


async def test_semaphore_bounds_concurrency(feed_server: HTTPServer) -> None:
    active = 0
    most = 0
    lock = threading.Lock()

    def slow(request: Request) -> Response:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        time.sleep(0.2)
        with lock:
            active -= 1
        return Response(FEED_BYTES)

    feed_server.expect_request("/slow").respond_with_handler(slow)
    async with Fetcher(trust_env=False, concurrency=2) as fetcher:
        responses = await asyncio.gather(
            *(fetcher.fetch(feed_server.url_for("/slow")) for _ in range(6))
        )
    assert all(r.ok for r in responses)
    assert most == 2


# --- files ---------------------------------------------------------------------------------


async def test_file_url_and_plain_path(tmp_path: Path) -> None:
    path = tmp_path / "خبر feed.xml"
    path.write_bytes(FEED_BYTES)
    by_url = await fetch(path.as_uri())
    by_path = await fetch(str(path))
    for response in (by_url, by_path):
        assert response.ok
        assert response.content == FEED_BYTES
        assert response.status is None
        assert response.etag


async def test_unchanged_file_is_not_modified(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(FEED_BYTES)
    async with Fetcher() as fetcher:
        first = await fetcher.fetch(str(path))
        second = await fetcher.fetch(str(path), etag=first.etag)
        path.write_bytes(FEED_BYTES + b"\n")
        third = await fetcher.fetch(str(path), etag=first.etag)
    assert second.not_modified and second.content == b""
    assert not third.not_modified and third.content.endswith(b"\n")


async def test_file_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes(bytes(2 * MB))
    response = await fetch(str(path), max_bytes=MB)
    assert response.error == f"file larger than 1 MB: {path}"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.xml", "file not found: {path}"),
        (lambda tmp: tmp, "is a folder, not a feed file: {path}"),
        (lambda tmp: Path("/dev/zero"), "not a regular file: {path}"),
    ],
)
async def test_file_errors(tmp_path: Path, make: object, message: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    response = await fetch(str(path))
    assert response.error == message.format(path=path)


async def test_unsupported_scheme() -> None:
    response = await fetch("gopher://example.org/feed")
    assert response.error == "unsupported URL scheme 'gopher:'"
