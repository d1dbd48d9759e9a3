#!/usr/bin/env python3
"""The HTTP side of scripts/bench-rejections.sh (issue 8): latency of the rejection-history routes,
the plans MariaDB used for them, and the streamed CSV export with limsd's memory while it streams.

  rejections_client.py latency URL TOKEN N FROM TO EXPORTER
  rejections_client.py explain URL TOKEN FROM TO EXPORTER SLOW_LOG
  rejections_client.py csv     URL TOKEN LIMSD_PID

`explain` expects limsd's sessions to log every statement with its plan (slow_query_log=1,
long_query_time=0, log_slow_verbosity=query_plan,explain when limsd connected) and prints, per
case, the statements on the history tables with their plans and the rows really read (r_rows).
"""
import http.client, json, os, sys, threading, time, urllib.parse

EXTRA = ("-- beyond the targets --", None)
TABLES = ("rejections", "sample_outcomes", "requirement_month_counts", "audit_events")


class Client:
    def __init__(self, url, token):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.auth = {"Authorization": "Bearer " + token}

    def get(self, path):
        c = http.client.HTTPConnection(self.host, self.port, timeout=120)
        c.request("GET", path, headers=self.auth)
        r = c.getresponse()
        body = r.read()
        c.close()
        if r.status != 200:
            sys.exit(f"GET {path}: {r.status} {body[:300]!r}")
        return body


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(p * len(xs) + 0.5)) - 1))]


def cases(client, frm, to, exporter):
    period = f"from={frm}&to={to}"
    first = json.loads(client.get("/api/v1/rejections"))
    out = [
        ("list district=Agra, 12 months", f"/api/v1/rejections?district=Agra&{period}"),
        ("list requirement=EN20345-2022-CRVI, 12 months", f"/api/v1/rejections?requirement=EN20345-2022-CRVI&{period}"),
        (f"list exporter={exporter}, all history", f"/api/v1/rejections?exporter={exporter}"),
    ]
    if first["next"]:
        out.append(("list no filter, page 2 (cursor)", "/api/v1/rejections?after=" + urllib.parse.quote(first["next"])))
    for g in ("month", "requirement", "exporter", "district", "product"):
        out.append((f"summary group_by={g}, 12 months", f"/api/v1/rejections/summary?group_by={g}&{period}"))
    for g in ("month", "requirement", "exporter", "district", "product"):
        out.append((f"summary group_by={g}, all history", f"/api/v1/rejections/summary?group_by={g}"))
    # Beyond the targets (a filtered page, each grouping): reported, not part of "worst".
    out.append(EXTRA)
    out.append(("summary group_by=month, Agra, 12 months", f"/api/v1/rejections/summary?group_by=month&district=Agra&{period}"))
    out.append((f"summary group_by=requirement, exporter={exporter}, all history",
                f"/api/v1/rejections/summary?group_by=requirement&exporter={exporter}"))
    out.append(("signed PDF report, Agra, 12 months", f"/api/v1/rejections/report?district=Agra&{period}"))
    out.append(("signed PDF report, all districts, 5 years", "/api/v1/rejections/report?from=2021-11-01"))
    out.append(("audit trail page (100 events, each chain-checked)", "/api/v1/audit"))
    return out


def latency(url, token, n, frm, to, exporter):
    client = Client(url, token)
    worst = 0.0
    targeted = True
    for name, path in cases(client, frm, to, exporter):
        if path is None:
            print(f"  worst p95 of the targeted queries {worst:.1f} ms (target < 100 ms): "
                  f"{'MET' if worst < 100 else 'NOT MET'}")
            targeted = False
            continue
        body = client.get(path)  # warm-up, and the size of the answer
        d = {} if body.startswith(b"%PDF") else json.loads(body)
        items = len(d.get("items", d.get("groups", []))) if d else 1
        ms = []
        for _ in range(n):
            t = time.perf_counter()
            client.get(path)
            ms.append((time.perf_counter() - t) * 1000)
        if targeted:
            worst = max(worst, pct(ms, 0.95))
        print(f"  {name:52s} p50 {pct(ms, 0.5):6.1f} ms  p95 {pct(ms, 0.95):6.1f} ms  max {max(ms):6.1f} ms"
              f"  ({items} rows/groups, {len(body)} bytes)", flush=True)


def show(entry):
    plan = [l[len("# explain: "):].split("\t") for l in entry if l.startswith("# explain: ")]
    text = " ".join(l for l in entry if not l.startswith("#") and not l.startswith("SET timestamp") and not l.startswith("use "))
    if len(plan) < 2 or not any(f"FROM {t} " in text or f"JOIN {t} " in text for t in TABLES):
        return 0  # sessions, users, ...: not the history's statements
    stats = next((l[2:] for l in entry if l.startswith("# Query_time")), "")
    print(f"    {text[:160]}")
    print(f"      {stats}")
    for row in plan[1:]:
        # id select_type table type possible_keys key key_len ref rows r_rows filtered r_filtered Extra
        print(f"      {row[2]:16s} {row[3]:6s} key={row[5]:36s} rows={row[8]:>7s} r_rows={row[9]:>9s}  {row[-1]}")
    return 1


def explain(url, token, frm, to, exporter, log):
    client = Client(url, token)
    all_cases = cases(client, frm, to, exporter)
    first = json.loads(client.get("/api/v1/rejections?limit=500"))
    if first["next"]:  # a small history may fit on one page
        all_cases.append(("list no filter, a later page of 500 (as the CSV export reads it)",
                          "/api/v1/rejections?limit=500&after=" + urllib.parse.quote(first["next"])))
    shown = 0
    for name, path in all_cases:
        if path is None:
            continue
        start = os.path.getsize(log) if os.path.exists(log) else 0
        client.get(path)
        time.sleep(0.5)  # the server writes its log entry after it answered
        print(f"  -- {name}: GET {path}", flush=True)
        entry = []
        with open(log, encoding="utf-8", errors="replace") as f:
            f.seek(start)
            for line in f:
                if line.startswith("# Time:") or line.startswith("# User@Host"):
                    if entry:
                        shown += show(entry)
                    entry = []
                entry.append(line.rstrip("\n"))
        if entry:
            shown += show(entry)
    print(f"  ({shown} statements on the history tables; the whole log is {log})")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def csv(url, token, pid):
    client = Client(url, token)
    before = rss_kib(pid)
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kib(pid))
            time.sleep(0.1)

    th = threading.Thread(target=sample)
    th.start()
    t = time.perf_counter()
    c = http.client.HTTPConnection(client.host, client.port, timeout=600)
    c.request("GET", "/api/v1/rejections?format=csv", headers=client.auth)
    r = c.getresponse()
    first = None
    size = lines = 0
    while True:
        chunk = r.read1(65536) if hasattr(r, "read1") else r.read(65536)
        if not chunk:
            break
        if first is None:
            first = time.perf_counter() - t
        size += len(chunk)
        lines += chunk.count(b"\n")
    total = time.perf_counter() - t
    done.set()
    th.join()
    peak[0] = max(peak[0], rss_kib(pid))
    if r.status != 200:
        sys.exit(f"CSV: status {r.status}")
    rows = lines - 1
    print(f"  status {r.status}, {rows} rows, {size / 1048576:.1f} MiB; first byte {first * 1000:.0f} ms,"
          f" last byte {total:.2f} s ({rows / total:.0f} rows/s)")
    print(f"  limsd VmRSS before {before / 1024:.1f} MiB, max while streaming {peak[0] / 1024:.1f} MiB")
    print(f"  target < 15 s and RSS < 100 MB: {'MET' if total < 15 and peak[0] * 1024 < 100e6 else 'NOT MET'}")


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "latency":
        latency(args[0], args[1], int(args[2]), args[3], args[4], args[5])
    elif mode == "explain":
        explain(args[0], args[1], args[2], args[3], args[4], args[5])
    elif mode == "csv":
        csv(args[0], args[1], args[2])
    else:
        sys.exit("usage: rejections_client.py latency|explain|csv ...")
