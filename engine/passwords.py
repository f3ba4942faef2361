"""Password rules and hashing, shared by every front end that gives learners a login.

Hashes are made and checked with ``werkzeug.security`` (scrypt by default); the engine stores only
the hash (:mod:`.accounts`).

>>> problems = password_problems("short", "short")
>>> problems
['Choose a password of 8 to 1024 characters.']
>>> stored = hash_password("correct horse", method="pbkdf2:sha256:1000")
>>> check_password(stored, "correct horse"), check_password(stored, "wrong horse")
(True, False)
"""

from __future__ import annotations

import threading

from werkzeug.security import check_password_hash, generate_password_hash

#: scrypt hashes one at a time: each takes ~32 MB for ~0.1 s, so parallel logins (failed ones with unknown
#: names included) cannot multiply the server's memory; the hash itself keeps werkzeug's full strength
MAX_PARALLEL_HASHES = 1
_hashing = threading.BoundedSemaphore(MAX_PARALLEL_HASHES)

MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # hashing a megabyte of "password" would be a cheap way to keep a server busy
DEFAULT_METHOD = "scrypt"


def password_problems(password: str, confirm: str | None = None) -> list[str]:
    """What is wrong with a new password (and its confirmation, when given); empty when it is fine."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        return [f"Choose a password of {MIN_PASSWORD} to {MAX_PASSWORD} characters."]
    if confirm is not None and password != confirm:
        return ["The two passwords differ; type the same one twice."]
    return []


def hash_password(password: str, method: str = DEFAULT_METHOD) -> str:
    """The stored form of a password."""
    with _hashing:
        return generate_password_hash(password, method=method)


def check_password(stored_hash: str, password: str) -> bool:
    """True when ``password`` matches the stored hash (over-long passwords never match)."""
    if len(password) > MAX_PASSWORD:
        return False
    with _hashing:
        return check_password_hash(stored_hash, password)
