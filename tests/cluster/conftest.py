"""The portal as deployed: two gunicorn servers and one django-tasks-db worker.

All three run ``cms.settings.production`` over pytest-django's PostgreSQL test database, one
Redis database (the shared cache) and the search node of ``ELASTICSEARCH_URL``. The
test plays the TLS-terminating reverse proxy in front of them (see ``ProxiedClient``).

Without PostgreSQL, Redis or an answering search node the cluster tests are skipped, before any
database is created; with ``REQUIRE_CLUSTER=1`` a missing service is a failure instead, as
``REQUIRE_BROWSER=1`` does for the browser tests.
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
import requests

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GUNICORN = BIN / "gunicorn"

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# Not 15 (surveys/tests/test_redis_counters.py) nor 5 (bench/survey_load.py): flushed here.
REDIS_DB = 14
INDEX_PREFIX = "noko_cluster_"
TASKS_TABLE = "django_tasks_database_dbtaskresult"

# Small on purpose: the memo bound is waited out once, and the burst limit passed once.
MEMO_SECONDS = 3
SURVEY_LIMIT = 3
STARTUP_SECONDS = 60
SHUTDOWN_SECONDS = 10


def missing_service():
    """Why the cluster cannot run here, or None."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "the cluster test runs on PostgreSQL only (set DATABASE_URL=postgres://…)"
    import redis

    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis does not answer on {REDIS_HOST}:{REDIS_PORT} ({error})"
    search_url = os.environ.get("ELASTICSEARCH_URL", "")
    if not search_url:
        # Deployed servers share a search node too; CI's OpenSearch run (.ci/run) has one.
        return "the cluster test runs with a search node (set ELASTICSEARCH_URL)"
    if search_url:
        try:
            requests.get(search_url.split(",")[0].strip(), timeout=2).raise_for_status()
        except requests.RequestException as error:
            return f"ELASTICSEARCH_URL={search_url} does not answer ({error})"
    if not GUNICORN.exists():
        return f"gunicorn is not installed beside {sys.executable}"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Here rather than in a fixture: the django_db marker would create (and migrate) the test
    # database before any fixture of ours could skip.
    if item.get_closest_marker("cluster") is None:
        return
    reason = missing_service()
    if reason is None:
        return
    if os.environ.get("REQUIRE_CLUSTER") == "1":
        pytest.fail(f"REQUIRE_CLUSTER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(settings_dict):
    """The test database (not the one DATABASE_URL names) as a URL for the servers."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict["HOST"] or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


class ProxiedClient:
    """A browser behind the site's reverse proxy, the test playing that proxy.

    In production TLS ends at the proxy, which sets ``X-Forwarded-Proto`` and appends the
    client's address to ``X-Forwarded-For`` (``TRUSTED_PROXY_COUNT=1``); Django then treats
    the request as secure and the respondent's address as ``address``. Cookies are Secure, so
    the plain-HTTP hop to the app server would make ``requests`` hold them back: the browser
    saw HTTPS, so they are sent anyway. Redirects are followed here because ``requests`` would
    not send Secure cookies set in the middle of a chain. The cookie jar is shared by both
    servers (one host, different ports), as one site name is behind a real load balancer.
    """

    def __init__(self, address):
        self.address = address
        self.session = requests.Session()

    def request(self, method, url, data=None, follow=True):
        for _hop in range(10):
            headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address}
            if method == "POST":
                headers["Origin"] = f"https://{urlsplit(url).netloc}"
            response = self.session.request(
                method, url, data=data, headers=headers, allow_redirects=False, timeout=30
            )
            for cookie in self.session.cookies:
                cookie.secure = False
            if not (follow and response.is_redirect):
                return response
            url = urljoin(url, response.headers["Location"])
            method, data = "GET", None
        raise AssertionError(f"redirect loop at {url}")

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, data, **kwargs):
        return self.request("POST", url, data, **kwargs)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def output(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Cluster:
    a: str
    b: str
    env: dict
    processes: list = field(default_factory=list)
    memo_seconds: float = MEMO_SECONDS
    survey_limit: int = SURVEY_LIMIT

    def client(self, address="203.0.113.1"):
        return ProxiedClient(address)

    def task_result(self, task_path):
        """(status, return value, worker ids) of the latest run of a task, from the database
        worker's table (SQL: the test settings do not install its app)."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT status, return_value, worker_ids FROM {TASKS_TABLE} "
                "WHERE task_path = %s ORDER BY enqueued_at DESC LIMIT 1",
                [task_path],
            )
            row = cursor.fetchone()
        # Django reads jsonb as text on a plain cursor.
        return row and (row[0], json.loads(row[1] or "null"), json.loads(row[2] or "[]"))

    def alive(self):
        """Raise with the logs if a process died on its own (a crash mid-test)."""
        for process in self.processes:
            if process.popen.poll() is not None:
                raise AssertionError(
                    f"{process.name} exited with {process.popen.returncode}:\n{process.output()}"
                )


class Launcher:
    """Starts processes in their own process group and stops exactly those."""

    def __init__(self, log_dir, env):
        self.log_dir = log_dir
        self.env = env
        self.processes = []

    def start(self, name, args):
        log = self.log_dir / f"{name}.log"
        with log.open("wb") as output:
            popen = subprocess.Popen(
                args,
                cwd=BASE_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def finish(self, process, timeout=STARTUP_SECONDS):
        """Wait for a one-off command; fail with its output unless it succeeded."""
        try:
            code = process.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{process.name} did not finish:\n{process.output()}") from None
        assert code == 0, f"{process.name} exited with {code}:\n{process.output()}"

    def stop_all(self):
        """TERM to every process still running (gunicorn's graceful stop: idle workers leave
        at once; the task worker's clean exit), then wait; KILL what outlives the wait."""
        running = [p for p in self.processes if p.popen.poll() is None]
        for process in running:
            os.killpg(process.popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + SHUTDOWN_SECONDS
        for process in running:
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait()

    def logs(self):
        return "\n".join(f"===== {p.name} =====\n{p.output()}" for p in self.processes)


def wait_healthy(base_url, process):
    client = ProxiedClient("127.0.0.1")
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise AssertionError(f"{process.name} exited at start:\n{process.output()}")
        try:
            if client.get(f"{base_url}/healthz/").status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{process.name} not healthy in {STARTUP_SECONDS} s:\n{process.output()}")


def flush_redis():
    import redis

    redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB).flushdb()


def delete_task_rows():
    """Queued task results outlive the test's flush (the test settings do not install
    django_tasks_db, so its table is not theirs to empty): no run may inherit another's."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TASKS_TABLE}")


def delete_search_indexes(search_url):
    """The cluster's indexes hold only this run's documents: leave none on the node. Deleted
    one by one by name, as nodes that refuse wildcard deletes require."""
    base = search_url.split(",")[0].strip().rstrip("/")
    try:
        listing = requests.get(
            f"{base}/_cat/indices/{INDEX_PREFIX}*", params={"format": "json"}, timeout=5
        )
        for row in listing.json():
            requests.delete(f"{base}/{row['index']}", timeout=5)
    except (requests.RequestException, ValueError) as error:
        print(f"could not delete the {INDEX_PREFIX}* indexes: {error}")


def cluster_environment(tmp_path):
    from django.db import connection

    # Everything the processes are configured with is set here; media stays on local disk
    # (a temporary folder), whatever MEDIA_S3_* the shell may carry.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "ELASTICSEARCH_", "MEDIA_S3_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # The test is the proxy: it sets X-Forwarded-Proto/For (ProxiedClient). HTTPS
        # redirects and HSTS stay as in production.
        TRUSTED_PROXY_COUNT="1",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        PROCESS_MEMO_SECONDS=str(MEMO_SECONDS),
        SURVEY_MAX_PER_ADDRESS_PER_HOUR=str(SURVEY_LIMIT),
        # A script fills a questionnaire in milliseconds; the too-fast rule has its own tests.
        SURVEY_MIN_FILL_SECONDS="0",
    )
    search_url = os.environ.get("ELASTICSEARCH_URL", "")
    if search_url:
        env["ELASTICSEARCH_URL"] = search_url
        env["ELASTICSEARCH_INDEX_PREFIX"] = INDEX_PREFIX
        if os.environ.get("ELASTICSEARCH_BACKEND"):
            env["ELASTICSEARCH_BACKEND"] = os.environ["ELASTICSEARCH_BACKEND"]
    return env


@pytest.fixture
def cluster(request, transactional_db, tmp_path):
    """Two app servers (A with two workers, B with one) and a task worker.

    Depends on ``transactional_db`` so that the processes stop before pytest-django empties
    the database; their logs are printed if the test fails.
    """
    started = time.monotonic()
    flush_redis()
    port_a, port_b = free_port(), free_port()
    env = cluster_environment(tmp_path)
    env["BASE_URL"] = f"https://127.0.0.1:{port_a}"
    launcher = Launcher(tmp_path, env)
    manage = [sys.executable, "manage.py"]
    migrate, running = None, False
    try:
        # The worker's table: the test settings do not install django_tasks_db.
        migrate = launcher.start("migrate", [*manage, "migrate", "django_tasks_database", "-v0"])
        # Production serves hashed static files through WhiteNoise, which reads the manifest
        # and the files when a worker starts: collected before any server starts.
        static = launcher.start("collectstatic", [*manage, "collectstatic", "--noinput", "-v0"])
        if env.get("ELASTICSEARCH_URL"):
            # Fresh indexes with the portal's mappings under the cluster's own prefix.
            launcher.finish(
                launcher.start("update_index", [*manage, "update_index", "--schema-only", "-v0"])
            )
        launcher.finish(migrate)
        delete_task_rows()
        launcher.finish(static)
        servers = {}
        for name, port, workers in (("server-a", port_a, 2), ("server-b", port_b, 1)):
            servers[name] = launcher.start(
                name,
                [
                    str(GUNICORN),
                    "cms.wsgi:application",
                    f"--bind=127.0.0.1:{port}",
                    f"--workers={workers}",
                    "--timeout=60",
                    "--graceful-timeout=5",
                    # Two masters would share (and a developer's would lose) the default
                    # ~/.gunicorn/gunicorn.ctl.
                    "--no-control-socket",
                ],
            )
        launcher.start(
            "db-worker",
            [
                *manage,
                "db_worker",
                "--interval=0.2",
                "--no-startup-delay",
                "--worker-id=cluster-worker",
            ],
        )
        wait_healthy(f"http://127.0.0.1:{port_a}", servers["server-a"])
        wait_healthy(f"http://127.0.0.1:{port_b}", servers["server-b"])
        print(f"cluster up in {time.monotonic() - started:.1f} s")
        running = True
        yield Cluster(
            a=f"http://127.0.0.1:{port_a}",
            b=f"http://127.0.0.1:{port_b}",
            env=env,
            processes=[p for p in launcher.processes if p.popen.poll() is None],
        )
    finally:
        launcher.stop_all()
        if not running or request.node.stash.get(FAILED, False):
            print(launcher.logs())
        if migrate is not None and migrate.popen.returncode == 0:
            delete_task_rows()
        flush_redis()
        if env.get("ELASTICSEARCH_URL"):
            delete_search_indexes(env["ELASTICSEARCH_URL"])
