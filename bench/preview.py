"""Live preview latency: from saving a tree file to the rebuilt page being served (issue 7, part 3).

    .venv/bin/python bench/preview.py [--sizes 1,10] [--edits 5] [--results-dir bench/results]

For each size it writes the bench corpus (bench/corpus.py; 1x = the real data) to a temporary
project, starts `python -m generator serve --project DIR --dev-addr 127.0.0.1:PORT` on it, waits
until the staff site is served, then `--edits` times: rewrites one tree file with a new
`use_when` text (one write of the whole file, as an editor's save), and polls the tree's page
every 20 ms until the served HTML contains the new text. The time from just before the write
to that response is the latency. The real data files are never touched.

Writes bench/results/preview-<date>.json and preview-latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from corpus import make_corpus  # noqa: E402

RESULTS = BENCH / "results"
TODAY = "2024-10-01"
TARGET_S = 2.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 5.0) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace"), response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, "", url
    except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
        return 0, "", url


def wait_for(url: str, text: str, deadline_s: float, interval: float = 0.02) -> float | None:
    """Seconds until the page at url contains text, or None at the deadline."""
    start = time.perf_counter()
    while time.perf_counter() - start < deadline_s:
        status, body, _ = fetch(url)
        if status == 200 and text in body:
            return time.perf_counter() - start
        time.sleep(interval)
    return None


# Variants of the preview server, started through a launcher that patches MkDocs before
# `generator serve` runs, to measure what a change to generator/authoring/serve.py would give. "default"
# is the real command, unpatched.
LAUNCHER = r"""
import sys
variant = sys.argv[1]
import mkdocs.commands.serve as mkdocs_serve
import mkdocs.livereload as livereload
if "dirty" in variant:
    original = mkdocs_serve.serve
    def serve(*args, **kwargs):
        kwargs["build_type"] = "dirty"  # rebuild only the pages whose Markdown changed
        return original(*args, **kwargs)
    mkdocs_serve.serve = serve
if "fast-poll" in variant:
    init = livereload.LiveReloadServer.__init__
    def __init__(self, *args, **kwargs):
        kwargs["polling_interval"] = 0.1  # MkDocs polls the watched files every 0.5 s
        init(self, *args, **kwargs)
    livereload.LiveReloadServer.__init__ = __init__
from generator.cli import main
sys.exit(main(sys.argv[2:]))
"""
VARIANTS = ("default", "dirty", "dirty-fast-poll")


def cpu_seconds(pid: int) -> float | None:
    """The process's CPU time so far (user + system, from /proc): a save's cost on a machine busy with other work,
    where the wall-clock latency mostly measures the others (issue 30)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_until_idle(pid: int, start: float | None, deadline_s: float = 120) -> float | None:
    """The CPU a process spends from ``start`` until it has used under 0.05 s in a second (after using some)."""
    if start is None:
        return None
    began, last = time.perf_counter(), start
    while time.perf_counter() - began < deadline_s:
        time.sleep(1.0)
        now = cpu_seconds(pid)
        if now is None:
            return None
        if now - start > 0.05 and now - last < 0.05:
            return now - start
        last = now
    return None


def measure_size(size: int, edits: int, tmp: Path, variant: str = "default") -> dict:
    project = tmp / f"x{size}-{variant}"
    info = make_corpus(REPO, project, size)
    tree_file = sorted((project / "decision_trees").glob("*.yml"))[0]
    tree = yaml.safe_load(tree_file.read_text(encoding="utf-8"))
    port = free_port()
    log = tmp / f"serve-{size}-{variant}.log"
    args = ["serve", "--project", str(project), "--work-dir", str(tmp / f"w{size}-{variant}"),
            "--dev-addr", f"127.0.0.1:{port}", "--today", TODAY]
    cmd = ([sys.executable, "-m", "generator", *args] if variant == "default"
           else [sys.executable, "-c", LAUNCHER, variant, *args])
    started = time.perf_counter()
    with open(log, "wb") as out:
        server = subprocess.Popen(cmd, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        first = wait_for(base, "</html>", deadline_s=600)
        if first is None:
            raise RuntimeError(f"serve did not come up: {log.read_text(errors='replace')[-2000:]}")
        startup = time.perf_counter() - started
        _, _, final = fetch(base)  # follows a redirect to site_url's path, if any
        page = final.rstrip("/") + f"/what-to-do/{tree['id']}/"
        if wait_for(page, tree["title"].split(" (")[0], deadline_s=30) is None:
            raise RuntimeError(f"{page} is not served")
        time.sleep(1.0)  # let the watcher settle after the first build
        latencies, cpu = [], []
        for n in range(edits):
            marker = f"Benchmark edit {n} {time.time_ns()}"
            text = yaml.safe_dump({**tree, "use_when": f"{tree['use_when']} {marker}"}, sort_keys=False,
                                  allow_unicode=True, width=110)
            t0 = time.perf_counter()
            tree_file.write_text(text, encoding="utf-8")
            seen = wait_for(page, marker, deadline_s=300)
            latencies.append(None if seen is None else time.perf_counter() - t0)
            time.sleep(1.0)
        for n in range(edits):
            # The same saves, not polled (each request the polling makes costs the server CPU too): the server's
            # CPU from the write until it has been idle for a second, i.e. the regeneration and mkdocs' rebuild.
            text = yaml.safe_dump({**tree, "use_when": f"{tree['use_when']} CPU edit {n} {time.time_ns()}"},
                                  sort_keys=False, allow_unicode=True, width=110)
            cpu0 = cpu_seconds(server.pid)
            tree_file.write_text(text, encoding="utf-8")
            cpu.append(_cpu_until_idle(server.pid, cpu0))
        good = [x for x in latencies if x is not None]
        log_text = log.read_text(errors="replace")
        return {
            "rebuilds_logged": log_text.count("Building documentation") - 1,
            "edits": edits,
            "size": size,
            "variant": variant,
            "corpus": info.as_dict(),
            "tree_file": tree_file.name,
            "server_startup_s": startup,
            "latencies_s": latencies,
            "median_s": statistics.median(good) if good else None,
            "server_cpu_per_save_s": cpu,  # unpolled saves: the regeneration and mkdocs' rebuild
            "server_cpu_median_s": statistics.median(x for x in cpu if x is not None) if any(
                x is not None for x in cpu) else None,
            "max_s": max(good) if good else None,
            "met": bool(good) and len(good) == len(latencies) and max(good) <= TARGET_S,
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--variants", default="default",
                        help=f"comma-separated, of {', '.join(VARIANTS)} (the others patch MkDocs in the server "
                             "process to show what a change to serve.py would give)")
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not (REPO / "generator" / "authoring" / "serve.py").is_file():
        print("generator/authoring/serve.py does not exist yet: live preview cannot be measured", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="policy-preview-"))
    try:
        report = {
            "date": dt.date.today().isoformat(),
            "command": "python bench/preview.py " + " ".join(argv if argv is not None else sys.argv[1:]),
            "target_s": TARGET_S,
            "loadavg_before": os.getloadavg(),
            "runs": [measure_size(int(size), args.edits, tmp, variant) for size in args.sizes.split(",")
                     for variant in args.variants.split(",")],
            "loadavg_after": os.getloadavg(),
        }
        for entry in report["runs"]:
            print(f"{entry['size']}x {entry['variant']}: save -> served page: median {entry['median_s']:.2f} s, max {entry['max_s']:.2f} s, "
                  f"server CPU per save median {entry['server_cpu_median_s'] or 0:.2f} s "
                  f"({'met' if entry['met'] else 'MISSED'}; target {TARGET_S} s); server start {entry['server_startup_s']:.1f} s")
        args.results_dir.mkdir(parents=True, exist_ok=True)
        text = json.dumps(report, indent=2) + "\n"
        (args.results_dir / f"preview-{report['date']}.json").write_text(text, encoding="utf-8")
        (args.results_dir / "preview-latest.json").write_text(text, encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
