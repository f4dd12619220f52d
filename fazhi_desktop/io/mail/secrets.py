"""The SMTP and IMAP passwords, kept in the system keyring (Windows 凭据管理器), never in files.

When no keyring is usable (a locked-down PC, a Linux box without a secret service) the program
asks for the password each time instead; nothing falls back to plain text.
"""

from __future__ import annotations

import logging

SERVICE = "fazhi-desktop-smtp"
# The collection mailbox's password: another entry, so one account may serve both.
IMAP_SERVICE = "fazhi-desktop-imap"
log = logging.getLogger(__name__)


def _account(host: str, user: str) -> str:
    return f"{user}@{host}"


def get_password(host: str, user: str, service: str = SERVICE) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(service, _account(host, user))
    except (KeyringError, RuntimeError, OSError) as exc:
        log.info("keyring unavailable: %s", exc)
        return None


def store_password(host: str, user: str, password: str, service: str = SERVICE) -> bool:
    """Keep the password in the keyring; False when no keyring can hold it."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return False
    try:
        keyring.set_password(service, _account(host, user), password)
    except (KeyringError, RuntimeError, OSError) as exc:
        log.info("keyring unavailable: %s", exc)
        return False
    return True


def forget_password(host: str, user: str, service: str = SERVICE) -> None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return
    try:
        keyring.delete_password(service, _account(host, user))
    except (KeyringError, RuntimeError, OSError):
        # Nothing stored, or no keyring: either way there is nothing left to forget.
        return
