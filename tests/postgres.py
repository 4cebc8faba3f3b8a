"""A throwaway PostgreSQL server for tests: Debian/Ubuntu's packages, a cluster in a temporary folder.

``ensure_installed()`` installs the ``postgresql`` package with apt-get when its programs are missing (as root,
or through passwordless sudo as on CI runners) and does nothing when they are present. ``Server`` runs initdb
into a fresh folder, as the ``postgres`` user when we are root (PostgreSQL refuses to run as root), and starts
the server on 127.0.0.1 on a free port, with trust authentication and no fsync: a scratch database, never data
worth keeping. Anything that stops it from starting raises ``PostgresUnavailable`` with the reason.
"""

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server can be started here; the message says why."""


def binaries():
    """The folder with initdb and postgres (Debian keeps them in /usr/lib/postgresql/<version>/bin), or None."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("postgres"):
        return Path(on_path).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


def ensure_installed():
    """The server's bin folder, installing the ``postgresql`` package first if it is missing."""
    if binaries() is None:
        if shutil.which("apt-get") is None:
            raise PostgresUnavailable("PostgreSQL is not installed and there is no apt-get to install it")
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "postgresql"]):
            done = subprocess.run(sudo + step, env=environment, capture_output=True, text=True, timeout=600)
            if done.returncode != 0:
                raise PostgresUnavailable(f"`{' '.join(sudo + step)}` failed: {done.stderr.strip()[-500:]}")
    found = binaries()
    if found is None:
        raise PostgresUnavailable("the postgresql package is installed but initdb and postgres are not found")
    return found


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A PostgreSQL server of its own. Use as a context manager; ``url(database)`` for SQLAlchemy."""

    def __init__(self):
        self.bin = ensure_installed()
        self.folder = Path(tempfile.mkdtemp(prefix="postgres-"))  # in /tmp: reachable by the postgres user
        self.port = free_port()
        self.process = None
        # PostgreSQL will not run as root: then the cluster belongs to the postgres user the package created
        self.user = {}
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable("running as root and there is no postgres user to run the server") from None
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self.user = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self, timeout=60):
        data, log = self.folder / "data", self.folder / "server.log"
        done = subprocess.run([self.bin / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--no-sync",
                               "--no-locale", "-E", "UTF8"], capture_output=True, text=True, timeout=120,
                              cwd=self.folder, **self.user)
        if done.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {done.stderr.strip()[-500:]}")
        with open(log, "w") as log_file:
            if self.user:
                os.chown(log, self.user["user"], self.user["group"])
            self.process = subprocess.Popen(
                [self.bin / "postgres", "-D", data, "-h", "127.0.0.1", "-p", str(self.port), "-k", self.folder,
                 "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=50"],
                stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=self.folder,
                start_new_session=True, **self.user)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise PostgresUnavailable(f"the server exited ({self.process.returncode}): {log.read_text()[-500:]}")
            try:
                with psycopg.connect(self.dsn("postgres"), connect_timeout=2):
                    return
            except psycopg.OperationalError as error:
                if time.monotonic() > deadline:
                    raise PostgresUnavailable(f"the server did not accept connections in {timeout} s: {error}")
                time.sleep(0.2)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown: disconnect clients, stop
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def dsn(self, database):
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def create_database(self, name):
        """Create an empty database ``name``; return its SQLAlchemy URL (psycopg 3 driver)."""
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"
