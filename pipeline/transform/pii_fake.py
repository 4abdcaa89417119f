"""Consistent fake values for redacted PII: same original + same seed -> same fake, everywhere.

A fake is built from a keyed hash (BLAKE2b with a key derived from the seed) of the normalised
original, so it is stable within and across documents, workers and re-runs, and reveals nothing
about the original beyond its shape (the positions of its separators) and, for phones and
payment cards, the first digit (country code or trunk prefix; card network), without which the
fake would not look like its kind. Fakes are chosen so that they can never be a real value:

- e-mail: ``user.<10 hex>@example.{com,org,net}`` (domains reserved by RFC 2606);
- IPv4: an address in a documentation range (RFC 5737), IPv6: in 2001:db8::/32 (RFC 3849);
  both ranges are kept by the detector, so redacting twice changes nothing;
- payment card: Luhn check deliberately wrong; SSN: area 666 (never issued by SSA);
  Chinese ID: check character deliberately wrong; IBAN: check digits "00" (never valid);
  the detector rejects all of these, so a second pass leaves them alone;
- phone: digits after the first replaced; a second pass would replace them again (harmless).
"""

from __future__ import annotations

import hashlib
import ipaddress

from stdnum import luhn
from stdnum.cn import ric

# Province-level codes of GB/T 2260 (the first two digits of a resident identity number).
_PROVINCES = ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41")
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
_DOC_NETS = ("192.0.2", "198.51.100", "203.0.113")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _reshape(original: str, compact: str) -> str:
    """Lay ``compact`` over the letters and digits of ``original``, keeping its other characters."""
    chars = iter(compact)
    return "".join(next(chars) if c.isascii() and c.isalnum() else c for c in original)


class FakeMaker:
    """Builds fakes for one seed; keeps a small memo because the same value often repeats."""

    def __init__(self, seed: int | str) -> None:
        self._key = hashlib.sha256(f"pii-fake-v1:{seed}".encode()).digest()
        self._memo: dict[tuple[str, str], str] = {}

    def fake(self, kind: str, original: str) -> str:
        key = (kind, original)
        if key not in self._memo:
            if len(self._memo) > 100_000:
                self._memo.clear()
            self._memo[key] = getattr(self, f"_{kind}")(original, self._digest(kind, original))
        return self._memo[key]

    def _digest(self, kind: str, original: str) -> bytes:
        normal = original.lower() if kind == "email" else "".join(c for c in original.upper() if c.isalnum())
        return hashlib.blake2b(f"{kind}\x00{normal}".encode(), key=self._key, digest_size=32).digest()

    @staticmethod
    def _digits(digest: bytes) -> str:
        return str(int.from_bytes(digest, "big")).zfill(78)[1:]  # 77 well-mixed decimal digits

    def _email(self, original: str, digest: bytes) -> str:
        return f"user.{digest.hex()[:10]}@{_EMAIL_DOMAINS[digest[0] % 3]}"

    def _ip(self, original: str, digest: bytes) -> str:
        if ":" not in original:
            return f"{_DOC_NETS[digest[0] % 3]}.{1 + digest[1] % 254}"
        return str(ipaddress.IPv6Address(int("20010db8" + digest.hex()[:24], 16)))

    def _phone(self, original: str, digest: bytes) -> str:
        compact = "".join(c for c in original if c.isdigit())
        return _reshape_digits(original, compact[0] + self._digits(digest)[: len(compact) - 1])

    def _card(self, original: str, digest: bytes) -> str:
        compact = "".join(c for c in original if c.isdigit())
        body = compact[0] + self._digits(digest)[: len(compact) - 2]
        last = next(d for d in "0123456789" if not luhn.is_valid(body + d))
        return _reshape(original, body + last)

    def _ssn(self, original: str, digest: bytes) -> str:
        d = self._digits(digest)
        return _reshape(original, f"666{1 + int(d[:2]) % 99:02d}{1 + int(d[2:6]) % 9999:04d}")

    def _cn_id(self, original: str, digest: bytes) -> str:
        d = self._digits(digest)
        birth = f"{1950 + int(d[:2]) % 56}{1 + int(d[2:4]) % 12:02d}{1 + int(d[4:6]) % 28:02d}"
        first17 = f"{_PROVINCES[digest[0] % len(_PROVINCES)]}0101{birth}{d[6:9]}"
        right = ric.calc_check_digit(first17)
        return _reshape(original, first17 + next(c for c in "0123456789" if c != right))

    def _iban(self, original: str, digest: bytes) -> str:
        compact = "".join(c for c in original if c.isalnum())
        d = self._digits(digest)
        bban = "".join(d[i] if c.isdigit() else _LETTERS[digest[i % 32] % 26] for i, c in enumerate(compact[4:]))
        return _reshape(original, compact[:2] + "00" + bban)


def _reshape_digits(original: str, digits: str) -> str:
    """Like ``_reshape`` for phones, where letters (an "ext" marker) are kept as they are."""
    chars = iter(digits)
    return "".join(next(chars) if c.isdigit() else c for c in original)
