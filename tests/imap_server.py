"""A private Dovecot IMAP server for the 收取报送 tests, and a CA that signs its certificate.

One server per test session (it takes about a second to start); each test gets a mailbox user
of its own, added to the passwd file Dovecot re-reads when it changes. Everything lives in one
temporary folder that is 0755 all the way down: Dovecot's auth and login processes run as
other users and must be able to reach it.
"""

from __future__ import annotations

import datetime as dt
import grp
import itertools
import mailbox
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

PASSWORD = "收件-s3cret"
MAX_USERS = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def dovecot_binary() -> str | None:
    for candidate in (shutil.which("dovecot"), "/usr/sbin/dovecot"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@dataclass(frozen=True)
class Certificates:
    ca: Path
    cert: Path
    key: Path
    other_ca: Path  # a CA that did not sign the server: verifying against it must fail


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _ca(common: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common))
        .issuer_name(_name(common))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_certificates(folder: Path) -> Certificates:
    """A test CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA."""
    import ipaddress

    ca_key, ca_cert = _ca("fazhi test CA")
    _other_key, other_cert = _ca("some other CA")
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    out = Certificates(
        folder / "ca.pem", folder / "server.pem", folder / "server.key", folder / "other-ca.pem"
    )
    out.ca.write_bytes(ca_cert.public_bytes(pem))
    out.other_ca.write_bytes(other_cert.public_bytes(pem))
    out.cert.write_bytes(cert.public_bytes(pem))
    out.key.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return out


@dataclass(frozen=True)
class Mailbox:
    user: str
    password: str
    maildir: Path
    uid: int
    gid: int

    def deliver(self, raw: bytes, folder: str = "") -> None:
        """Put one mail into the Inbox (or ``folder``, its Maildir++ name in IMAP's modified
        UTF-7) as a delivery agent would: a file in ``new/``."""
        where = self.maildir / f".{folder}" if folder else self.maildir
        created = not where.exists()
        box = mailbox.Maildir(where, create=True)
        key = box.add(mailbox.MaildirMessage(raw))
        if os.geteuid() == 0:
            for path in ([where, *where.iterdir()] if created else []) + [where / "new" / key]:
                os.chown(path, self.uid, self.gid)


class Dovecot:
    """``dovecot -F`` on 127.0.0.1: plain IMAP (``port``) and IMAP over TLS (``tls_port``)."""

    def __init__(self, binary: str) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="fazhi-dovecot-"))
        self.root.chmod(0o755)
        self.certs = make_certificates(self.root)
        self.port = free_port()
        self.tls_port = free_port()
        self._users = itertools.count(1)
        if os.geteuid() == 0:
            # Dovecot refuses to give a mailbox to root: mail belongs to an ordinary user.
            nobody = pwd.getpwnam("nobody")
            self.uid, self.gid = nobody.pw_uid, nobody.pw_gid
        else:
            self.uid, self.gid = os.getuid(), os.getgid()
        # Every user written up front: Dovecot notices a changed passwd file by its mtime in
        # whole seconds, so a user added a moment after a login could stay unknown.
        self.passwd = self.root / "passwd"
        self.passwd.write_text(
            "".join(
                f"{self._user(n)}:{{PLAIN}}{PASSWORD}:{self.uid}:{self.gid}::{self._home(n)}::\n"
                for n in range(1, MAX_USERS + 1)
            ),
            encoding="utf-8",
        )
        self.passwd.chmod(0o644)
        config = self.root / "dovecot.conf"
        config.write_text(self._config(), encoding="utf-8")
        self.log = self.root / "dovecot.out"
        with self.log.open("wb") as out:
            # Output to a file, never a pipe: nobody would read a pipe and the daemon would block.
            self.process = subprocess.Popen(
                [binary, "-F", "-c", str(config)], stdout=out, stderr=subprocess.STDOUT
            )
        self._wait_listening()

    def _config(self) -> str:
        root = self.root
        if os.geteuid() == 0:
            users = "default_internal_user = dovecot\ndefault_login_user = dovenull\n"
            chroot = ""
        else:
            # An ordinary user runs every Dovecot process itself and cannot chroot.
            me = pwd.getpwuid(os.getuid()).pw_name
            group = grp.getgrgid(os.getgid()).gr_name
            users = f"default_internal_user = {me}\ndefault_login_user = {me}\n"
            users += f"default_internal_group = {group}\n"
            users += "service anvil {\n  chroot =\n}\n"
            chroot = "  chroot =\n"
        dh = Path("/usr/share/dovecot/dh.pem")
        return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{users}first_valid_uid = 1
auth_mechanisms = plain login
# A wrong password is answered at once, not after Dovecot's usual two seconds.
auth_failure_delay = 0
disable_plaintext_auth = no
ssl = yes
ssl_cert = <{self.certs.cert}
ssl_key = <{self.certs.key}
{f"ssl_dh = <{dh}" if dh.exists() else ""}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.passwd}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {self.passwd}
}}
service imap-login {{
{chroot}  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
    ssl = yes
  }}
}}
"""

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    if conn.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"dovecot did not start: {self.output()}")

    def output(self) -> str:
        texts = []
        for path in (self.log, self.root / "dovecot.log"):
            if path.exists():
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(texts)

    @staticmethod
    def _user(number: int) -> str:
        return f"office{number}"

    def _home(self, number: int) -> Path:
        return self.root / "home" / self._user(number)

    def new_mailbox(self) -> Mailbox:
        """A user of its own for one test, with an empty Inbox."""
        number = next(self._users)
        assert number <= MAX_USERS, "raise MAX_USERS"
        user, home = self._user(number), self._home(number)
        maildir = home / "Maildir"
        home.mkdir(parents=True, mode=0o755)
        (self.root / "home").chmod(0o755)
        mailbox.Maildir(maildir, create=True)
        for path in (home, *home.rglob("*")):
            if os.geteuid() == 0:
                os.chown(path, self.uid, self.gid)
        return Mailbox(user, PASSWORD, maildir, self.uid, self.gid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
