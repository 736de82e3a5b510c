"""Measure every page the apps list in their ``bench`` modules against a bare Django view.

    python manage.py bench_pages                       # in-process, 20 requests per page
    python manage.py bench_pages --concurrent 16 --duration 20 --json bench.json

The single-request run uses Django's test client in this process: per page the median and p95
server time, the number of queries and their SQL time, and the size of the response. The
concurrent run starts gunicorn (2 workers) on a free port of 127.0.0.1, against the same
database, and lets that many client threads request each page for a fixed time: requests per
second and p95. On a shared machine absolute figures wander; what counts is each page's ratio to
the bare view measured in the same run. Pages that miss the targets of ``pestor.bench`` are
marked. Nothing is written to the database but the sessions of the demo accounts signed in.
"""

import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from pestor.bench import (
    BARE_PATH,
    LIST_KINDS,
    MAX_HTML_BYTES,
    MAX_MEDIAN_MS,
    MAX_P95_MS,
    MAX_QUERIES,
    MIN_THROUGHPUT_RATIO,
    BenchPage,
    all_pages,
    bare_page,
)

HOST = "127.0.0.1"  # the concurrent run never targets anything else
BENCH_URLCONF = "pestor.bench_urls"


@dataclass
class SingleResult:
    app: str
    page: str
    who: str
    kind: str
    url: str
    status: int = 0
    requests: int = 0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    queries: int = 0
    sql_ms: float = 0.0
    bytes: int = 0
    ratio: float = 0.0  # median server time / the bare view's
    misses: list[str] = field(default_factory=list)


@dataclass
class ConcurrentResult:
    app: str
    page: str
    who: str
    kind: str
    url: str
    requests: int = 0
    errors: int = 0
    rps: float = 0.0
    p95_ms: float = 0.0
    ratio: float = 0.0  # requests per second / the bare view's
    skipped: str = ""
    misses: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sample:
    """One request of the single run."""

    milliseconds: float
    queries: int
    sql_seconds: float
    status: int
    bytes: int


class SqlClock:
    """Counts the queries and adds up the time the database takes. (Not Django's query log: it
    keeps whole milliseconds only, and past its 9 000 entries a run's later pages counted 0.)"""

    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def _workers_memory(master_pid: int) -> list[tuple[float, float]]:
    """(resident, peak resident) in MB of each child of gunicorn's master process, from Linux's
    /proc; empty elsewhere."""
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return []
    found = []
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:  # a worker that has just been replaced
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        found.append(
            (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)
        )
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


class Command(BaseCommand):
    help = (
        "Mierzy czas, liczbę zapytań i rozmiar każdej strony wobec pustego widoku Django. / "
        "Measures every page's time, queries and size against a bare Django view."
    )
    statement_timeout = 0.0  # seconds; set from --statement-timeout

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=20, help="requests per page")
        parser.add_argument(
            "--budget",
            type=float,
            default=30.0,
            help="seconds per page in the single run; a slow page gets fewer requests",
        )
        parser.add_argument(
            "--only", default="", help="measure only pages whose label or URL contains this"
        )
        parser.add_argument(
            "--concurrent",
            type=int,
            default=0,
            help="client threads of the concurrent run against gunicorn (0: no concurrent run)",
        )
        parser.add_argument(
            "--duration", type=float, default=20.0, help="seconds per page of the concurrent run"
        )
        parser.add_argument(
            "--concurrent-skip-ms",
            type=float,
            default=2000.0,
            help="leave out of the concurrent run pages whose single-run median exceeds this",
        )
        parser.add_argument(
            "--statement-timeout",
            type=float,
            default=60.0,
            help="PostgreSQL: cancel any query of the single run that takes longer (seconds); "
            "the page then counts as HTTP 500 rather than holding the run",
        )
        parser.add_argument("--json", default="", help="also write the figures to this file")

    def handle(self, *args, **options):
        pages = [bare_page(), *all_pages()]
        only = options["only"]
        if only:
            pages = [pages[0]] + [p for p in pages[1:] if only in p.label or only in p.url]
        self.stdout.write(
            f"{len(pages) - 1} pages, database {connection.vendor} "
            f"({connection.settings_dict['NAME']}), {options['requests']} requests per page"
        )
        self.statement_timeout = options["statement_timeout"]
        single = self.run_single(pages, requests=options["requests"], budget=options["budget"])
        self.print_single(single)
        report = {"database": connection.vendor, "single": [asdict(row) for row in single]}
        if options["concurrent"] > 0:
            concurrent = self.run_concurrent(
                pages,
                single,
                clients=options["concurrent"],
                duration=options["duration"],
                skip_ms=options["concurrent_skip_ms"],
            )
            self.print_concurrent(concurrent, clients=options["concurrent"])
            self.print_workers_memory()
            report["concurrent"] = [asdict(row) for row in concurrent]
            report["workers_memory_mb"] = self.workers_memory
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(report, indent=2), encoding="utf-8")
            self.stdout.write(f"Figures written to {options['json']}")

    # --- single requests, in this process ------------------------------------------------------

    def run_single(self, pages: list[BenchPage], *, requests: int, budget: float):
        clients: dict[str | None, Client] = {}
        results = []
        with override_settings(
            DEBUG=False, ALLOWED_HOSTS=[HOST, "testserver"], ROOT_URLCONF=BENCH_URLCONF
        ):
            for page in pages:
                client = clients.get(page.role) or self._client(page.role)
                clients[page.role] = client
                results.append(self._measure(client, page, requests=requests, budget=budget))
                row = results[-1]
                self.stdout.write(
                    f"  {row.page:<40} {row.median_ms:>9.1f} ms  {row.queries:>4} q", ending="\n"
                )
        for client in clients.values():
            client.logout()
        bare = results[0].median_ms or 0.001
        for row in results:
            row.ratio = row.median_ms / bare
            if row.status != 200:
                row.misses.append(f"HTTP {row.status}")
            if row.kind != "bare":
                if row.median_ms > MAX_MEDIAN_MS:
                    row.misses.append("time")
                if row.queries > MAX_QUERIES:
                    row.misses.append("queries")
                if row.bytes > MAX_HTML_BYTES:
                    row.misses.append("size")
        return results

    def _client(self, role: str | None) -> Client:
        # A page that fails is measured as its error response, not raised: the run goes on.
        client = Client(HTTP_HOST=HOST, raise_request_exception=False)
        if role:
            user = get_user_model().objects.filter(email=role).first()
            if user is None:
                raise CommandError(
                    f"No account {role}: load the data with generate_national_data (or load_demo)."
                )
            client.force_login(user)
        return client

    def _measure(self, client: Client, page: BenchPage, *, requests: int, budget: float):
        row = SingleResult(page.app, page.label, page.who, page.kind, page.url)
        if connection.vendor == "postgresql" and self.statement_timeout > 0:
            # Set for every page: a failed request may have replaced the connection.
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(self.statement_timeout * 1000)}")
        started = time.monotonic()
        # The first request fills caches, compiles templates and opens the connection; it is
        # the only one counted when it alone takes longer than the page's budget.
        samples = [self._request(client, page.url)]
        if samples[0].milliseconds <= budget * 1000:
            samples = []
            while len(samples) < max(1, requests):
                if samples and time.monotonic() - started > budget:
                    break
                samples.append(self._request(client, page.url))
        timings = [sample.milliseconds for sample in samples]
        row.status, row.bytes = samples[-1].status, samples[-1].bytes
        row.requests = len(samples)
        row.median_ms = statistics.median(timings)
        row.p95_ms = percentile(timings, 0.95)
        row.max_ms = max(timings)
        row.queries = max(sample.queries for sample in samples)
        row.sql_ms = statistics.median(sample.sql_seconds for sample in samples) * 1000
        return row

    def _request(self, client: Client, url: str) -> "Sample":
        sql_clock = SqlClock()
        with connection.execute_wrapper(sql_clock):
            started = time.perf_counter()
            response = client.get(url)
            body = _body(response)
            milliseconds = (time.perf_counter() - started) * 1000
        return Sample(
            milliseconds, sql_clock.queries, sql_clock.seconds, response.status_code, len(body)
        )

    def print_single(self, results: list[SingleResult]):
        self.stdout.write("")
        self.stdout.write(
            "Single requests (in-process; ratio = median / bare view's median; targets: median "
            f"< {MAX_MEDIAN_MS} ms, ≤ {MAX_QUERIES} queries, ≤ {MAX_HTML_BYTES // 1024} KB)"
        )
        header = (
            "app",
            "page",
            "who",
            "kind",
            "HTTP",
            "n",
            "median ms",
            "p95 ms",
            "queries",
            "SQL ms",
            "KB",
            "x bare",
            "misses",
        )
        rows = [
            (
                row.app,
                row.page,
                row.who,
                row.kind,
                str(row.status),
                str(row.requests),
                f"{row.median_ms:.1f}",
                f"{row.p95_ms:.1f}",
                str(row.queries),
                f"{row.sql_ms:.1f}",
                f"{row.bytes / 1024:.1f}",
                f"{row.ratio:.1f}",
                ", ".join(row.misses) or "ok",
            )
            for row in results
        ]
        self.stdout.write(table(header, rows, numeric_from=4))
        missed = sum(1 for row in results if row.misses)
        self.stdout.write(f"{missed} of {len(results) - 1} pages miss a target.")

    # --- concurrent clients against gunicorn ----------------------------------------------------

    def run_concurrent(self, pages, single, *, clients: int, duration: float, skip_ms: float):
        secret_key = _secret_key()
        with tempfile.TemporaryDirectory(prefix="pestor-bench-") as static_root:
            env = self._server_env(secret_key=secret_key, static_root=static_root)
            self.stdout.write("Collecting static files for the server (DEBUG off)…")
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
            )
            cookies = self._sessions({page.role for page in pages if page.role}, secret_key)
            port = _free_port()
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "pestor.bench_wsgi:application",
                    "--bind",
                    f"{HOST}:{port}",
                    "--workers",
                    "2",
                    "--timeout",
                    str(int(max(30, duration * 2))),
                    "--log-level",
                    "warning",
                ],
                cwd=settings.BASE_DIR,
                env=env,
            )
            try:
                _wait_for(server, port)
                self.workers_memory = {"started": _workers_memory(server.pid)}
                results = self._concurrent_pages(
                    pages,
                    single,
                    port,
                    cookies,
                    clients=clients,
                    duration=duration,
                    skip_ms=skip_ms,
                )
                self.workers_memory["finished"] = _workers_memory(server.pid)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
                self._end_sessions(cookies)
        return results

    def print_workers_memory(self):
        """Each gunicorn worker's resident memory when the server had started and after every
        page (with its peak): what a worker holds must not grow with the tables it pages."""
        started, finished = self.workers_memory["started"], self.workers_memory["finished"]
        if not finished:
            self.stdout.write("Workers' memory: not readable here (/proc).")
            return
        self.stdout.write(
            "Workers' resident memory, MB: "
            + ", ".join(f"{rss:.0f}" for rss, _peak in started)
            + " when started; "
            + ", ".join(f"{rss:.0f} (peak {peak:.0f})" for rss, peak in finished)
            + " after every page"
        )

    def _server_env(self, *, secret_key: str, static_root: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="pestor.settings",
            DATABASE_URL=_database_url(connection.settings_dict),
            DEBUG="false",
            SECRET_KEY=secret_key,
            ALLOWED_HOSTS=HOST,
            SECURE_SSL_REDIRECT="false",
            SECURE_HSTS_SECONDS="0",
            STATIC_ROOT=static_root,
            LOG_LEVEL="WARNING",
        )
        return env

    def _sessions(self, roles: set[str], secret_key: str) -> dict[str, str]:
        """A session cookie for each account, signed in with the server's secret key."""
        cookies = {}
        with override_settings(SECRET_KEY=secret_key):
            for role in sorted(roles):
                client = self._client(role)
                cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return cookies

    def _end_sessions(self, cookies: dict[str, str]):
        from importlib import import_module

        store = import_module(settings.SESSION_ENGINE).SessionStore
        for key in cookies.values():
            store(session_key=key).delete()

    def _concurrent_pages(self, pages, single, port, cookies, *, clients, duration, skip_ms):
        by_url = {(row.url, row.who): row for row in single}
        results = []
        # The bare view is measured first and last: the machine's load may change meanwhile.
        for page in [*pages, bare_page()]:
            row = ConcurrentResult(page.app, page.label, page.who, page.kind, page.url)
            measured = by_url.get((page.url, page.who))
            if page.kind != "bare" and measured and measured.median_ms > skip_ms:
                row.skipped = f"single-run median {measured.median_ms / 1000:.1f} s"
                results.append(row)
                continue
            cookie = cookies.get(page.role) if page.role else None
            latencies, errors, elapsed = _hammer(
                port, page.url, cookie, clients=clients, duration=duration
            )
            row.requests, row.errors = len(latencies), errors
            row.rps = len(latencies) / elapsed if elapsed else 0.0
            row.p95_ms = percentile(latencies, 0.95)
            if page.kind == "bare" and results:
                row.page = f"{row.page} (again, at the end)"
            results.append(row)
            self.stdout.write(f"  {row.page:<40} {row.rps:>8.1f} req/s  p95 {row.p95_ms:.0f} ms")
            _drain(port)
        bare_rps = statistics.mean(
            [row.rps for row in results if row.kind == "bare" and row.rps] or [1.0]
        )
        for row in results:
            if row.skipped:
                row.misses.append("skipped")
                continue
            row.ratio = row.rps / bare_rps
            if row.errors:
                row.misses.append(f"{row.errors} errors")
            if row.kind == "bare":
                continue
            if row.p95_ms > MAX_P95_MS:
                row.misses.append("p95")
            if row.kind in LIST_KINDS and row.ratio < MIN_THROUGHPUT_RATIO:
                row.misses.append("throughput")
        return results

    def print_concurrent(self, results: list[ConcurrentResult], *, clients: int):
        self.stdout.write("")
        self.stdout.write(
            f"Concurrent run ({clients} clients against gunicorn with 2 workers; ratio = req/s / "
            f"bare view's; targets: p95 < {MAX_P95_MS} ms, list pages ≥ "
            f"{MIN_THROUGHPUT_RATIO:.0%} of the bare view)"
        )
        header = ("app", "page", "who", "kind", "requests", "errors", "req/s", "p95 ms", "% bare")
        rows = [
            (
                row.app,
                row.page,
                row.who,
                row.kind,
                str(row.requests),
                str(row.errors),
                f"{row.rps:.1f}",
                f"{row.p95_ms:.0f}",
                f"{row.ratio:.1%}",
                row.skipped or ", ".join(row.misses) or "ok",
            )
            for row in results
        ]
        self.stdout.write(table((*header, "misses"), rows, numeric_from=4))


def table(header, rows, *, numeric_from: int) -> str:
    """An aligned text table: text columns to the left, figures to the right."""
    widths = [max(len(str(line[i])) for line in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "  ".join(
            cell.rjust(width) if numeric_from <= i < len(cells) - 1 else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(header), line(["-" * width for width in widths]), *map(line, rows)])


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _secret_key() -> str:
    key = settings.SECRET_KEY
    if len(key) >= 50 and "insecure" not in key:
        return key
    return secrets.token_urlsafe(50)


def _database_url(db: dict) -> str:
    """The DATABASE_URL of the database this process uses, for the server to use the same."""
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    if db["ENGINE"].endswith("postgresql"):
        user = db.get("USER") or ""
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        host = db.get("HOST") or "127.0.0.1"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"
    raise CommandError(f"The concurrent run does not know the database engine {db['ENGINE']}.")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_for(server: subprocess.Popen, port: int, *, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn stopped with code {server.returncode}.")
        try:
            status, _latency = _get(port, BARE_PATH, None, timeout=5)
        except OSError:
            time.sleep(0.5)
            continue
        if status == 200:
            return
        raise CommandError(f"The bare view answered HTTP {status} under gunicorn.")
    raise CommandError("gunicorn did not answer in time.")


def _get(port: int, url: str, cookie: str | None, *, timeout: float) -> tuple[int, float]:
    headers = {"Host": HOST}
    if cookie:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    connection_ = http.client.HTTPConnection(HOST, port, timeout=timeout)
    started = time.perf_counter()
    try:
        connection_.request("GET", url, headers=headers)
        response = connection_.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    finally:
        connection_.close()


def _hammer(port: int, url: str, cookie: str | None, *, clients: int, duration: float):
    """``clients`` threads requesting ``url`` until ``duration`` seconds have passed: the
    latencies of the answered requests, the number of failures, and the time taken."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + duration

    def client():
        while time.monotonic() < deadline:
            try:
                status, latency = _get(
                    port, url, cookie, timeout=max(1.0, deadline - time.monotonic() + 5)
                )
            except OSError:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                if status == 200:
                    latencies.append(latency)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], time.monotonic() - started


def _drain(port: int, *, timeout: float = 60.0):
    """Wait until the server answers the bare view promptly again: requests given up by the
    clients may still hold the workers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _status, latency = _get(port, BARE_PATH, None, timeout=timeout)
        except OSError:
            continue
        if latency < 100:
            return
