"""Shared fixtures: one local Spark session per test run, paths to shared test data, no network."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data, skipping the test when that folder is absent (it is in CI)."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs ../shared/data/{'/'.join(parts)} (external test material, absent here)")
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip("needs ../shared/data (external test material, absent here)")
    return SHARED_DATA


def wceb_extracted(urls) -> dict[str, tuple[str, str]]:
    """``{url: (decoded HTML, our extracted text)}`` of these pages of ../shared/data/pages/wceb (loaded as
    ``bench/real_pages`` loads them); every URL must be there. Call from a test that takes ``shared_data``."""
    sys.path.insert(0, str(ROOT / "bench" / "real_pages"))
    from pages import wceb_pages

    from pipeline.extract.charset import decode_html
    from pipeline.extract.html import extract_main_text

    pages = {p.url: p for p in wceb_pages() if p.url in set(urls)}
    assert set(pages) == set(urls), set(urls) - set(pages)
    out = {}
    for url, page in pages.items():
        html = decode_html(page.html)[0]
        out[url] = (html, extract_main_text(html, url=url))
    return out


_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0") and not host.startswith("/"):
        raise RuntimeError(f"network access blocked in tests: tried to connect to {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Nothing may download at run time: any non-loopback connection fails the test."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    yield


@pytest.fixture(scope="session")
def spark():
    """One real local Spark session for the whole run (start-up costs several seconds)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pipeline.engines.spark import get_session

    session = get_session(master="local[2]", app_name="corpus-tests", shuffle_partitions=4, ui=False)
    yield session
    session.stop()
