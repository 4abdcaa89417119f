"""Small, well-formed non-HTML payloads (PDF, PNG, JSON) that a crawl also fetches."""

from __future__ import annotations

import json
import random
import struct
import zlib


def pdf(rng: random.Random) -> bytes:
    """A one-page PDF 1.4 with a correct xref table."""
    text = f"Annual report {rng.randint(2000, 2023)} - page 1"
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def png(rng: random.Random) -> bytes:
    """A small RGB gradient image."""
    width, height = rng.randint(8, 32), rng.randint(8, 32)
    r, g, b = rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)
    rows = b"".join(
        b"\x00" + b"".join(bytes((r, (g + x * 7) % 256, (b + y * 5) % 256)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows, 6))
        + _png_chunk(b"IEND", b"")
    )


def json_api(rng: random.Random) -> bytes:
    items = [
        {"id": rng.randint(1, 10**6), "price": round(rng.uniform(1, 500), 2), "stock": rng.randint(0, 40)}
        for _ in range(rng.randint(2, 8))
    ]
    return json.dumps({"status": "ok", "page": rng.randint(1, 20), "items": items}, sort_keys=True).encode()


NON_HTML = (("pdf", "application/pdf", pdf), ("png", "image/png", png), ("json", "application/json", json_api))
