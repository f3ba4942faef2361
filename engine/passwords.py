"""Password rules and hashing, shared by every front end that gives learners a login.

Hashes are made and checked with ``werkzeug.security``; the engine stores only the hash
(:mod:`.accounts`). New hashes use scrypt with N=2^15, r=8, p=3 (:data:`DEFAULT_METHOD`): one of the
settings the OWASP Password Storage Cheat Sheet gives as equal minimums (N=2^17 r=8 p=1, N=2^16 r=8
p=2, N=2^15 r=8 p=3, N=2^14 r=8 p=5, N=2^13 r=8 p=10), the one that needs 32 MiB instead of 128.
Werkzeug's own default (N=2^15, r=8, p=1) is below those; hashes made with it, or with any other
method, still check, and :func:`hash_settings` tells a front end when to make a new one.

>>> problems = password_problems("short", "short")
>>> problems
['Choose a password of 8 to 1024 characters.']
>>> stored = hash_password("correct horse", method="pbkdf2:sha256:1000")
>>> check_password(stored, "correct horse"), check_password(stored, "wrong horse")
(True, False)
>>> hash_settings(stored)
'pbkdf2:sha256:1000'
"""

from __future__ import annotations

import threading

from werkzeug.security import check_password_hash, generate_password_hash

#: hashes are made and checked one at a time: each takes 32 MiB (and about half a second), so parallel
#: logins (failed ones with unknown names included) cannot multiply the server's memory
MAX_PARALLEL_HASHES = 1
_hashing = threading.BoundedSemaphore(MAX_PARALLEL_HASHES)

MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # hashing a megabyte of "password" would be a cheap way to keep a server busy
#: scrypt, N=2^15 (32 MiB with r=8), r=8, p=3: OWASP's minimum at a quarter of the memory of N=2^17, p=1.
#: Just over 32 MiB is also past the C allocator's largest threshold for mapping a block on its own, so
#: each hash's memory goes back to the system when it is done instead of staying in a thread's heap
DEFAULT_METHOD = "scrypt:32768:8:3"


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


def hash_settings(stored_hash: str) -> str:
    """The method and parameters a stored hash was made with, e.g. ``scrypt:32768:8:3``: a hash whose
    settings differ from those of a hash made now is due to be made again (at the next login)."""
    return stored_hash.split("$", 1)[0]
