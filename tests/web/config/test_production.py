"""Running in production: the secret key, behind a TLS-terminating proxy, the real server,
backups that restore."""

from __future__ import annotations

import os
import runpy
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import Client, override_settings

import lingting.config.settings
from lingting.core.models import AuditEvent, User
from tests.conftest import PASSWORD

REPO = Path(__file__).resolve().parents[3]
LINGTING = Path(sys.executable).with_name("lingting")
SETTINGS_FILE = Path(lingting.config.settings.__file__)
REAL_LOOKING_KEY = "a-production-key-made-for-this-test-" + "x7Qp" * 10


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The environment of a production process: DEBUG off, a database of its own."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {"DEBUG": "0", "DATABASE_URL": f"sqlite:///{tmp_path / 'lingting.sqlite3'}"}
    env["LINGTING_VAR_DIR"] = str(tmp_path / "var")
    return env | overrides


# --- the secret key -------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "", "lingting-development-key-not-for-production"])
def test_without_a_real_secret_key_the_server_refuses_to_start(
    tmp_path: Path, key: str | None
) -> None:
    env = production_env(tmp_path)
    if key is not None:
        env["SECRET_KEY"] = key

    served = subprocess.run(
        [LINGTING, "serve", "--bind", "127.0.0.1:1"], env=env, capture_output=True, text=True
    )
    wsgi = subprocess.run(
        [sys.executable, "-c", "import lingting.config.wsgi"],
        env=env,
        capture_output=True,
        text=True,
    )

    for started in (served, wsgi):
        assert started.returncode == 1
        assert "SECRET_KEY" in started.stderr
        assert "DEBUG is off" in started.stderr


@pytest.mark.parametrize(
    "env", [{"SECRET_KEY": REAL_LOOKING_KEY}, {"DEBUG": "1"}], ids=["a real key", "DEBUG on"]
)
def test_a_real_key_or_debug_on_starts(tmp_path: Path, env: dict[str, str]) -> None:
    started = subprocess.run(
        [sys.executable, "-c", "import lingting.config.wsgi"],
        env=production_env(tmp_path, **env),
        capture_output=True,
        text=True,
    )

    assert started.returncode == 0, started.stderr


# --- behind a TLS-terminating proxy ---------------------------------------------------------


def settings_under(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """The settings module as it reads this environment."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(SETTINGS_FILE))
    return {name: value for name, value in values.items() if name.isupper()}


@pytest.fixture
def behind_https_proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The settings `LINGTING_SECURE=1` changes, in force for the test."""
    plain = settings_under(monkeypatch, LINGTING_SECURE="0")
    secure = settings_under(
        monkeypatch,
        LINGTING_SECURE="1",
        CSRF_TRUSTED_ORIGINS="https://qa.example.com:8443",
    )
    monkeypatch.delenv("LINGTING_SECURE")
    monkeypatch.delenv("CSRF_TRUSTED_ORIGINS")
    changed = {name: value for name, value in secure.items() if plain.get(name) != value}
    assert changed["SECURE_SSL_REDIRECT"] is True
    with override_settings(**changed):
        yield


@pytest.mark.usefixtures("behind_https_proxy")
def test_behind_the_proxy_pages_are_served_and_sign_in_passes_csrf(agent_li: User) -> None:
    client = Client(enforce_csrf_checks=True)
    https = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "testserver"}  # as nginx passes

    assert client.get("/login/")["Location"] == "https://testserver/login/"  # plain http
    page = client.get("/login/", **https)
    assert page.status_code == 200  # no redirect loop
    token = client.cookies["csrftoken"].value
    assert client.cookies["csrftoken"]["secure"]

    signed_in = client.post(
        "/login/",
        {"username": "agent_li", "password": PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://testserver",
        **https,
    )

    assert signed_in.status_code == 302, signed_in.content.decode()[:500]
    assert "_auth_user_id" in client.session
    assert client.get(signed_in["Location"], follow=True, **https).status_code == 200


@pytest.mark.usefixtures("behind_https_proxy")
def test_an_origin_listed_in_csrf_trusted_origins_may_post(agent_li: User) -> None:
    client = Client(enforce_csrf_checks=True)
    https = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "testserver"}  # as nginx passes
    client.get("/login/", **https)
    form = {
        "username": "agent_li",
        "password": PASSWORD,
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    }

    foreign = client.post("/login/", form, HTTP_ORIGIN="https://evil.example", **https)
    trusted = client.post("/login/", form, HTTP_ORIGIN="https://qa.example.com:8443", **https)

    assert foreign.status_code == 403
    assert trusted.status_code == 302


@pytest.mark.usefixtures("behind_https_proxy")
def test_the_health_check_answers_plain_http_from_the_proxy_or_a_monitor(db: None) -> None:
    assert Client().get("/healthz").status_code == 200


def test_without_lingting_secure_the_forwarded_proto_header_is_not_trusted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = settings_under(monkeypatch, LINGTING_SECURE="0")

    assert values.get("SECURE_PROXY_SSL_HEADER") is None
    assert values["LINGTING_TRUSTED_PROXIES"] == 0


def test_the_proxy_header_and_the_trusted_proxies_are_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = settings_under(
        monkeypatch,
        LINGTING_SECURE="1",
        LINGTING_PROXY_SSL_HEADER="X-Forwarded-Scheme",
        LINGTING_TRUSTED_PROXIES="2",
    )

    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_SCHEME", "https")
    assert values["LINGTING_TRUSTED_PROXIES"] == 2


# --- the production server ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_lingting_serve_runs_the_app_under_gunicorn(tmp_path: Path) -> None:
    env = production_env(tmp_path, SECRET_KEY=REAL_LOOKING_KEY, ALLOWED_HOSTS="127.0.0.1")
    subprocess.run([LINGTING, "migrate", "--no-input", "-v0"], env=env, check=True)
    subprocess.run([LINGTING, "collectstatic", "--no-input", "-v0"], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [LINGTING, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = ""
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2) as r:
                    body = r.read().decode()
                    server_header = r.headers.get("Server", "")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                time.sleep(0.2)
        assert "登录聆听" in body
        assert "gunicorn" in server_header.lower()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_systemd_units_run_the_three_processes() -> None:
    units = REPO / "deploy" / "systemd"
    commands = {
        unit.name: next(
            line for line in unit.read_text().splitlines() if line.startswith("ExecStart=")
        )
        for unit in units.glob("lingting-*.service")
    }

    assert commands.keys() == {
        "lingting-web.service",
        "lingting-worker.service",
        "lingting-scheduler.service",
    }
    assert commands["lingting-web.service"].endswith("lingting serve")
    assert commands["lingting-worker.service"].endswith("lingting worker")
    assert commands["lingting-scheduler.service"].endswith("lingting scheduler")
    for unit in units.glob("lingting-*.service"):
        assert "EnvironmentFile=/etc/lingting/lingting.env" in unit.read_text()
    example = (REPO / "deploy" / "lingting.env.example").read_text()
    for name in ("DATABASE_URL=postgres", "SECRET_KEY=", "ALLOWED_HOSTS=", "LINGTING_SECURE=1"):
        assert name in example


# --- backups --------------------------------------------------------------------------------


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="pg_dump and pg_restore back up PostgreSQL, the production database; "
    "set DATABASE_URL=postgres://… to run this test",
)
def test_a_backup_restores_into_a_fresh_database(
    transactional_db: None, agent_li: User, tmp_path: Path
) -> None:
    AuditEvent.objects.create(action="backup.test", object_type="test", object_id="1")
    params = connection.settings_dict
    base = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}"
    source, restored = f"{base}/{params['NAME']}", f"{params['NAME']}_restored"
    dump = tmp_path / "lingting.dump"
    assert shutil.which("pg_dump"), "PostgreSQL's client tools: apt install postgresql-client"

    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        env = {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
        subprocess.run(
            [REPO / "scripts" / "backup", dump], env={**env, "DATABASE_URL": source}, check=True
        )
        subprocess.run(
            [REPO / "scripts" / "restore", dump],
            env={**env, "DATABASE_URL": f"{base}/{restored}"},
            check=True,
        )
        refused = subprocess.run(  # a second restore would mix two databases: refused
            [REPO / "scripts" / "restore", dump],
            env={**env, "DATABASE_URL": f"{base}/{restored}"},
            capture_output=True,
            text=True,
        )
        with psycopg.connect(f"{base}/{restored}") as copy:
            users = {row[0] for row in copy.execute("SELECT username FROM core_user")}
            events = copy.execute(
                "SELECT count(*) FROM core_auditevent WHERE action = 'backup.test'"
            ).fetchone()
            password = copy.execute(
                "SELECT password FROM core_user WHERE username = 'agent_li'"
            ).fetchone()
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')

    assert users == set(User.objects.values_list("username", flat=True))
    assert "agent_li" in users
    assert events == (1,)
    assert password == (User.objects.get(username="agent_li").password,)
    assert refused.returncode != 0
    assert "not empty" in refused.stderr
