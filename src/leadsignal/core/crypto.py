"""Authenticated encryption for PII at rest, and keyed hashes for exact-match lookup.

Ciphertext format: ``v1:<key id>:<base64url(nonce || AES-256-GCM ciphertext+tag)>``. The key id
lets several keys coexist: the first configured key encrypts, every configured key decrypts, and
``leadsignal keys reencrypt`` moves old rows to the active key. The record's column name is bound
in as associated data, so a ciphertext copied into another column fails to decrypt.

Lookups (``WHERE tax_id_hash = ?``) use HMAC-SHA256 under a separate blind-index key over a
normalised value; the table is never decrypted to search it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

if TYPE_CHECKING:
    from leadsignal.settings import Settings

_PREFIX = "v1"


class CryptoConfigError(ValueError):
    """Encryption keys are missing or malformed."""


class DecryptionError(ValueError):
    """A ciphertext is corrupt, was moved between columns, or its key is no longer configured."""


def _b64decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded)


@lru_cache(maxsize=16)
def _aead(key: bytes) -> AESGCM:
    return AESGCM(key)


def parse_keyring(spec: str) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        kid, sep, encoded = part.partition(":")
        if not sep or not kid or not kid.isalnum():
            raise CryptoConfigError("encryption key entries must look like 'kid:base64key' (kid alphanumeric)")
        try:
            key = _b64decode(encoded)
        except (binascii.Error, ValueError) as exc:
            raise CryptoConfigError(f"encryption key {kid!r} is not valid base64") from exc
        if len(key) != 32:
            raise CryptoConfigError(f"encryption key {kid!r} must be 32 bytes, got {len(key)}")
        keys[kid] = key
    if not keys:
        raise CryptoConfigError("no encryption keys configured")
    return keys


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


@dataclass(frozen=True)
class PiiCipher:
    keys: dict[str, bytes]
    active_kid: str
    index_key: bytes

    @classmethod
    def from_specs(cls, keyring: str, index_key: str) -> PiiCipher:
        keys = parse_keyring(keyring)
        try:
            idx = _b64decode(index_key)
        except (binascii.Error, ValueError) as exc:
            raise CryptoConfigError("blind index key is not valid base64") from exc
        if len(idx) < 32:
            raise CryptoConfigError("blind index key must be at least 32 bytes")
        return cls(keys=keys, active_kid=next(iter(keys)), index_key=idx)

    def encrypt(self, plaintext: str, *, context: str) -> str:
        nonce = os.urandom(12)
        sealed = _aead(self.keys[self.active_kid]).encrypt(nonce, plaintext.encode(), context.encode())
        token = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{_PREFIX}:{self.active_kid}:{token}"

    def decrypt(self, token: str, *, context: str) -> str:
        try:
            prefix, kid, body = token.split(":", 2)
        except ValueError as exc:
            raise DecryptionError("not a leadsignal ciphertext") from exc
        if prefix != _PREFIX:
            raise DecryptionError(f"unknown ciphertext version {prefix!r}")
        key = self.keys.get(kid)
        if key is None:
            raise DecryptionError(f"key {kid!r} is not configured (was it removed before re-encryption?)")
        raw = _b64decode(body)
        try:
            return _aead(key).decrypt(raw[:12], raw[12:], context.encode()).decode()
        except InvalidTag as exc:
            raise DecryptionError("ciphertext failed authentication") from exc

    def key_id_of(self, token: str) -> str:
        return token.split(":", 2)[1]

    def blind_index(self, value: str, *, context: str) -> str:
        normalised = "".join(value.split()).upper()
        mac = hmac.new(self.index_key, f"{context}\x00{normalised}".encode(), hashlib.sha256)
        return mac.hexdigest()


def cipher_from_settings(settings: Settings) -> PiiCipher:
    """The PII cipher, generating local development keys on first use outside production."""
    keyring = settings.encryption_keys.get_secret_value() if settings.encryption_keys else None
    index = settings.blind_index_key.get_secret_value() if settings.blind_index_key else None
    if keyring is None or index is None:
        if settings.env == "production":
            raise CryptoConfigError("LEADSIGNAL_ENCRYPTION_KEYS and LEADSIGNAL_BLIND_INDEX_KEY are required")
        dev = ensure_dev_keys(settings.data_dir)
        keyring = keyring or dev["encryption_keys"]
        index = index or dev["blind_index_key"]
    return PiiCipher.from_specs(keyring, index)


def ensure_dev_keys(data_dir: Path) -> dict[str, str]:
    """Keys for the embedded default, kept beside the SQLite file with owner-only permissions."""
    path = data_dir / "dev-keys.json"
    if path.exists():
        loaded: dict[str, str] = json.loads(path.read_text())
        return loaded
    data_dir.mkdir(parents=True, exist_ok=True)
    keys = {
        "encryption_keys": f"dev1:{new_key()}",
        "blind_index_key": new_key(),
        "jwt_secret": secrets.token_urlsafe(48),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(keys, handle)
    return keys
