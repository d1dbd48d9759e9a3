#!/usr/bin/env python3
"""Helpers of scripts/bench-certificates.sh (run by it, not by hand).

  issue_bench.py prepare URL TECH_TOKEN REVIEWER_TOKEN ORG COUNT OUT_FILE [THREADS]
      Registers COUNT samples, each with one Cr(VI) test (REACH-XVII-47-CRVI-LEATHER); the technician
      enters {"values":["1.0"],"unit":"mg/kg"} and the reviewer approves. Writes the sample numbers,
      one a line.
  issue_bench.py issue URL SIGNATORY_TOKEN PASSWORD NUMBERS_FILE THREADS COUNT [SKIP]
      Issues the certificates of COUNT samples (lines SKIP .. SKIP+COUNT-1 of NUMBERS_FILE), THREADS
      client threads each with one keep-alive connection and its own share of the samples, all
      starting together. Prints "RESULT threads=.. issued=.. wall_s=.. per_s=.. p50_ms=.. p99_ms=..".
  issue_bench.py batch URL SIGNATORY_TOKEN PASSWORD NUMBERS_FILE THREADS COUNT BATCH [SKIP]
      The same samples issued through POST /api/v1/certificates/batch, BATCH samples a request (one
      re-authentication each). Prints "RESULT batch=.. threads=.. issued=.. wall_s=.. per_s=.."
      with per_s in certificates and p50/p99 per request.
  issue_bench.py weasyprint N
      Renders a one-page A4 certificate (15-row table, DejaVu fonts) with WeasyPrint in-process, one
      warm-up then N timed renders; prints "RESULT weasyprint renders=.. p50_ms=.. p95_ms=.. bytes=..".
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse


def percentile(sorted_values, p):  # nearest rank, as bench/bench_util.h
    rank = int(p / 100.0 * len(sorted_values) + 0.5)
    return sorted_values[min(max(rank, 1), len(sorted_values)) - 1]


class Client:
    def __init__(self, url, token):
        u = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        self.headers = {"Content-Type": "application/json", "Authorization": "Bearer " + token}

    def post(self, path, body):
        data = json.dumps(body).encode()
        self.conn.request("POST", path, body=data, headers=self.headers)
        r = self.conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")


def prepare(url, tech, reviewer, org, count, out_file, threads=4):
    body = {"exporter": org, "product": "Chrome-tanned upper", "sizes": ["42"], "quantity": 2,
            "quantity_unit": "pairs", "destination": "DE", "decision_rule": "simple", "condition": "intact",
            "storage_location": "R1-S1", "requirements": ["REACH-XVII-47-CRVI-LEATHER"]}
    numbers, errors, lock = [], [], threading.Lock()
    next_index = [0]

    def work():
        t, r = Client(url, tech), Client(url, reviewer)
        while True:
            with lock:
                if next_index[0] >= count or errors:
                    return
                next_index[0] += 1
            s, b = t.post("/api/v1/samples", body)
            if s != 201:
                errors.append(f"register: {s} {b[:300]}"); return
            sample = json.loads(b)
            test_id = sample["tests"][0]["id"]
            s, b = t.post(f"/api/v1/tests/{test_id}/results", {"values": ["1.0"], "unit": "mg/kg"})
            if s != 201:
                errors.append(f"enter: {s} {b[:300]}"); return
            s, b = r.post(f"/api/v1/tests/{test_id}/review", {"decision": "approve"})
            if s != 200:
                errors.append(f"review: {s} {b[:300]}"); return
            with lock:
                numbers.append(sample["number"])

    start = time.monotonic()
    pool = [threading.Thread(target=work) for _ in range(threads)]
    for th in pool: th.start()
    for th in pool: th.join()
    if errors:
        sys.exit("prepare failed: " + errors[0])
    with open(out_file, "w") as f:
        f.write("\n".join(numbers) + "\n")
    print(f"prepared {len(numbers)} approved samples in {time.monotonic() - start:.1f} s", file=sys.stderr)


def issue(url, token, password, numbers_file, threads, count, skip=0):
    with open(numbers_file) as f:
        numbers = [line.strip() for line in f if line.strip()][skip:skip + count]
    if len(numbers) < count:
        sys.exit(f"issue: only {len(numbers)} samples left, {count} wanted")
    shares = [numbers[i::threads] for i in range(threads)]
    latencies, errors = [[] for _ in range(threads)], []
    barrier = threading.Barrier(threads + 1)

    def work(i):
        c = Client(url, token)
        c.conn.connect()
        barrier.wait()
        for n in shares[i]:
            t0 = time.perf_counter()
            s, b = c.post(f"/api/v1/samples/{n}/certificate", {"password": password})
            latencies[i].append((time.perf_counter() - t0) * 1000.0)
            if s != 201:
                errors.append(f"{n}: {s} {b[:300]}"); return

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for th in pool: th.start()
    barrier.wait()
    start = time.perf_counter()
    for th in pool: th.join()
    wall = time.perf_counter() - start
    if errors:
        sys.exit("issue failed: " + errors[0])
    all_ms = sorted(x for l in latencies for x in l)
    print(f"RESULT threads={threads} issued={len(all_ms)} wall_s={wall:.3f} per_s={len(all_ms) / wall:.2f} "
          f"p50_ms={percentile(all_ms, 50):.1f} p99_ms={percentile(all_ms, 99):.1f} max_ms={all_ms[-1]:.1f}")


def batch(url, token, password, numbers_file, threads, count, size, skip=0):
    with open(numbers_file) as f:
        numbers = [line.strip() for line in f if line.strip()][skip:skip + count]
    if len(numbers) < count:
        sys.exit(f"batch: only {len(numbers)} samples left, {count} wanted")
    shares = [numbers[i::threads] for i in range(threads)]
    latencies, errors, issued = [[] for _ in range(threads)], [], [0] * threads
    barrier = threading.Barrier(threads + 1)
    def work(i):
        c = Client(url, token)
        c.conn.connect()
        barrier.wait()
        share = shares[i]
        for k in range(0, len(share), size):
            t0 = time.perf_counter()
            s, b = c.post("/api/v1/certificates/batch", {"samples": share[k:k + size], "password": password})
            latencies[i].append((time.perf_counter() - t0) * 1000.0)
            if s != 201:
                errors.append(f"batch at {share[k]}: {s} {b[:300]}"); return
            issued[i] += json.loads(b)["count"]
    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for th in pool: th.start()
    barrier.wait()
    start = time.perf_counter()
    for th in pool: th.join()
    wall = time.perf_counter() - start
    if errors:
        sys.exit("batch failed: " + errors[0])
    all_ms = sorted(x for l in latencies for x in l)
    total = sum(issued)
    print(f"RESULT batch={size} threads={threads} issued={total} wall_s={wall:.3f} per_s={total / wall:.2f} "
          f"request_p50_ms={percentile(all_ms, 50):.1f} request_p99_ms={percentile(all_ms, 99):.1f}")


def certificate_html():
    rows = []
    for i in range(1, 16):
        statement = "Both replicates are within the limit." if i % 3 == 0 else ""
        rows.append(f"<tr><td>EN ISO 20345:2022 5.3.{i}</td><td>Nickel release</td><td>EN 1811</td>"
                    f"<td>0.{i}; 0.1{i}</td><td>µg/cm²/week</td><td>± 0.05</td><td>≤ 0.5 µg/cm²/week</td>"
                    f"<td>pass</td></tr>" + (f"<tr class=st><td colspan=8>{statement}</td></tr>" if statement else ""))
    return """<!doctype html><html><head><meta charset="utf-8"><title>AGR-C-2026-000001</title><style>
@page { size: A4; margin: 18mm 15mm 20mm 15mm;
  @top-right { content: "AGR-C-2026-000001 · Page " counter(page) " of " counter(pages); font: 7pt 'DejaVu Sans'; }
  @bottom-center { content: "The results relate only to the items tested."; font: 7pt 'DejaVu Sans'; } }
body { font-family: 'DejaVu Sans'; font-size: 8pt; }
h1 { font-family: 'DejaVu Sans'; font-size: 14pt; margin: 4mm 0; }
.lab { display: flex; justify-content: space-between; border-bottom: 1px solid #444; padding-bottom: 2mm; }
.qr { width: 22mm; height: 22mm; border: 1px solid #000; }
table { border-collapse: collapse; width: 100%; margin-top: 3mm; }
th, td { border: 0.5pt solid #999; padding: 1mm; text-align: left; vertical-align: top; }
th { background: #eee; } tr.st td { font-style: italic; border-top: none; }
dl { display: grid; grid-template-columns: 35mm auto; margin: 0; } dt { font-weight: bold; }
</style></head><body>
<div class="lab"><div><b>Pramaan Test Laboratory</b><br>Plot 12, Industrial Estate, Kanpur 208012, India<br>
Accredited to ISO/IEC 17025:2017, certificate TC-1234</div>
<div><svg class="qr" viewBox="0 0 21 21"><rect x="0" y="0" width="7" height="7"/><rect x="14" y="0" width="7" height="7"/>
<rect x="0" y="14" width="7" height="7"/><rect x="9" y="9" width="3" height="3"/></svg><br>
https://lims.example.org/v/AGR-C-2026-000001</div></div>
<h1>Certificate of conformity AGR-C-2026-000001</h1>
<dl><dt>Customer</dt><dd>Łódź Šoe Exports, 14 Leather Market, Agra 282002, India (IEC 0599001234)</dd>
<dt>Sample</dt><dd>AGR-2026-000123: Safety boots, leather upper, PU sole; article ART-7, lot L-2026-11, sizes 42, 44</dd>
<dt>Condition</dt><dd>Sealed bag, intact</dd><dt>Received</dt><dd>2026-11-23</dd>
<dt>Testing</dt><dd>2026-11-24 to 2026-11-27, Permanent laboratory, Kanpur</dd><dt>Issued</dt><dd>2026-11-28T09:30:00Z</dd>
<dt>Markings claimed</dt><dd>EN ISO 20345:2022 S3 SRC</dd>
<dt>Decision rule</dt><dd>Simple acceptance, w = 0 (ILAC-G8:09/2019 4.2.1)</dd><dt>Verdict</dt><dd><b>Conforms</b></dd></dl>
<table><thead><tr><th>Requirement</th><th>Property</th><th>Method</th><th>Values</th><th>Unit</th><th>U</th>
<th>Limit</th><th>Verdict</th></tr></thead><tbody>""" + "".join(rows) + """</tbody></table>
<p style="margin-top:8mm">Dr. A. Sharma, Technical Manager</p><p>End of document</p></body></html>"""


def weasy(n):
    from weasyprint import HTML
    html = certificate_html()
    pdf = HTML(string=html).write_pdf()  # warm-up: font discovery, caches
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        pdf = HTML(string=html).write_pdf()
        times.append((time.perf_counter() - t0) * 1000.0)
    times.sort()
    print(f"RESULT weasyprint renders={n} p50_ms={percentile(times, 50):.1f} p95_ms={percentile(times, 95):.1f} "
          f"bytes={len(pdf)}")


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "prepare":
        prepare(args[0], args[1], args[2], args[3], int(args[4]), args[5], int(args[6]) if len(args) > 6 else 4)
    elif mode == "batch":
        batch(args[0], args[1], args[2], args[3], int(args[4]), int(args[5]), int(args[6]),
              int(args[7]) if len(args) > 7 else 0)
    elif mode == "issue":
        issue(args[0], args[1], args[2], args[3], int(args[4]), int(args[5]), int(args[6]) if len(args) > 6 else 0)
    elif mode == "weasyprint":
        weasy(int(args[0]))
    else:
        sys.exit(__doc__)
