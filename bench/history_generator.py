#!/usr/bin/env python3
"""Fills a migrated Pramaan database with years of issued samples, for the rejection-history bench.

    bench/history_generator.py --socket DIR/mysqld.sock --password-file DIR/root.password \
        [--results 1000000] [--years 5] [--exporters 2000] [--seed 8] [--database pramaan]

The database must be migrated and the catalog recorded (`limsd --migrate`): the requirements come
from the `requirements` table and the lab from `labs`. Connects as root over the socket with the
`mariadb` client and loads tab-separated files with LOAD DATA LOCAL INFILE (--local-infile=1), with
foreign-key and unique checks off for the load (the ids are assigned here and consistent).

Written: organizations (exporters over the 75 districts of catalog/districts/districts.json), one
disabled signatory user, samples (status issued), tests (approved), results (one per test, the
latest), result_values (one per specimen), e_signatures and certificates (kind
certificate_of_conformity or test_report, a placeholder PDF), sample_counters/certificate_counters,
and the fact tables of schema/010 exactly as RecordIssuedSample (lims/store/rejection_store.cc)
derives them from those rows: `rejections` (failing tests: verdict fail or conditional_fail, value
= the result values joined by '; ' in replicate order, tested_at = the result's entered_at),
`sample_outcomes` (turnaround = whole hours received -> issued, rejected = has a rejection row) and
`requirement_month_counts` (tests and failures per month of issue and requirement).

The failure pattern: Cr(VI) and sole bond fail most (~2 % and ~1.5 % of their tests), a few
chemistry limits next, everything else rarely; a minority of exporters fail several times as often
(repeat offenders); about 4-5 % of samples are rejected. --check compares the fact tables with the
store's own SELECTs for a few hundred certificates.
"""
import argparse
import hashlib
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAILING = ("fail", "conditional_fail")
WORST = {"pass": 0, "conditional_pass": 1, "conditional_fail": 2, "fail": 3}
MARKETS = [("DE", 22), ("GB", 18), ("US", 14), ("IT", 10), ("FR", 8), ("NL", 7), ("ES", 6), ("AE", 5),
           ("BE", 4), ("PL", 3), ("SE", 2), ("JP", 1)]


class Db:
    def __init__(self, args):
        self.base = ["mariadb", "--no-defaults", f"--socket={args.socket}", "-uroot", "--local-infile=1",
                     "--default-character-set=utf8mb4", args.database]
        self.env = dict(os.environ, MYSQL_PWD=open(args.password_file).read().strip())

    def run(self, sql):
        p = subprocess.run(self.base + ["-N", "-B", "-e", sql], env=self.env, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"history_generator: SQL failed: {p.stderr.strip()}\n  {sql[:300]}")
        return [line.split("\t") for line in p.stdout.splitlines()]

    def scalar(self, sql):
        rows = self.run(sql)
        return rows[0][0] if rows else None


def esc(v):
    if v is None:
        return "\\N"
    s = str(v)
    if any(c in s for c in "\\\t\n\r"):
        s = s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return s


class Table:
    """A tab-separated file for one table, loaded with LOAD DATA LOCAL INFILE."""

    def __init__(self, tmp, name, columns):
        self.name, self.columns = name, columns
        self.path = os.path.join(tmp, name + ".tsv")
        self.f = open(self.path, "w", encoding="utf-8", newline="\n")
        self.rows = 0

    def add(self, *values):
        self.f.write("\t".join(map(esc, values)) + "\n")
        self.rows += 1

    def load_sql(self):
        self.f.close()
        return (f"LOAD DATA LOCAL INFILE '{self.path}' INTO TABLE {self.name} CHARACTER SET utf8mb4"
                f" FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'"
                f" ({', '.join(self.columns)});")


def fmt(x):
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def base_fail_probability(code):
    if "CRVI" in code:
        return 0.020 if "TEXTILE" not in code and "72-CRVI" not in code else 0.006
    if code.endswith("-BOND"):
        return 0.015
    if "FORMALDEHYDE" in code or "PHTHALATES" in code or "-PH" == code[-3:]:
        return 0.004
    if "AZO" in code or "-43-" in code or "NI-RELEASE" in code:
        return 0.0015
    return 0.0008


def values_for(req, fails, rng):
    """The reported values of one result (one per specimen, at most 3) that give the verdict."""
    comp, n = req["comparator"], max(1, min(3, req["specimens"]))
    try:
        limit = float(req["limit_value"]) if req["limit_value"] else 14.0
    except ValueError:
        limit = 1.0
    out = []
    for i in range(n):
        bad = fails and (i == 0 or rng.random() < 0.5)
        if comp == "no_failure":
            out.append("fail" if bad else "pass")
        elif comp == "not_detected":
            out.append(fmt(limit * rng.uniform(1.2, 8)) if bad else ("nd" if rng.random() < 0.7 else fmt(limit * rng.uniform(0.3, 0.95))))
        elif comp == "range":
            out.append(fmt(limit * rng.uniform(0.2, 0.9)) if bad else fmt(limit * rng.uniform(5, 5000)))
        elif comp in (">=", ">"):
            out.append(fmt(limit * rng.uniform(0.4, 0.95)) if bad else fmt(limit * rng.uniform(1.05, 2.5)))
        else:  # <=, <
            out.append(fmt(limit * rng.uniform(1.1, 3.0)) if bad else fmt(limit * rng.uniform(0.02, 0.9)))
    return out


def sql_dt(t):
    return t.strftime("%Y-%m-%d %H:%M:%S")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--socket", required=True)
    ap.add_argument("--password-file", required=True, help="root password of the private server")
    ap.add_argument("--database", default="pramaan")
    ap.add_argument("--results", type=int, default=1_000_000, help="test results to generate (about)")
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--exporters", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--fail-scale", type=float, default=1.0, help="multiplies every failure probability")
    ap.add_argument("--tmp", default=None, help="directory for the load files (default: a temp dir)")
    ap.add_argument("--check", type=int, default=300, help="certificates to cross-check with the store's SQL")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    db = Db(args)
    t0 = time.monotonic()

    lab_id, lab_code = db.run("SELECT id, code FROM labs ORDER BY id LIMIT 1")[0]
    lab_id = int(lab_id)
    cols = ["id", "code", "standard", "clause", "property", "method", "comparator", "limit_value", "unit",
            "label", "specimens"]
    reqs = [dict(zip(cols, r)) for r in db.run(
        f"SELECT {', '.join(cols)} FROM requirements WHERE standard_id IS NOT NULL ORDER BY id")]
    if not reqs:
        sys.exit("history_generator: no catalog requirements: run `limsd --migrate` first")
    for r in reqs:
        r["id"], r["specimens"] = int(r["id"]), int(r["specimens"])
        r["p"] = base_fail_probability(r["code"]) * args.fail_scale
    by_std = defaultdict(list)
    for r in reqs:
        by_std[r["standard"]].append(r)
    reach = [r for r in by_std["REACH Annex XVII"]]
    reach_leather = [r for r in reach if "TEXTILE" not in r["code"] and "-72-" not in r["code"]]
    reach_textile = [r for r in reach if "TEXTILE" in r["code"] or "-72-" in r["code"]]

    def core(std, words):
        return [r for r in by_std[std] if any(r["code"].endswith(w) for w in words)]

    core_words = ("-BOND", "-CRVI", "-PH", "-TEAR-LEATHER", "-OUTSOLE-FLEX", "-OUTSOLE-ABRASION")
    plans = {  # name: (product family, always, optional pool, optional count range)
        "safety2011": ("footwear", core("EN ISO 20345:2011", core_words),
                       [r for r in by_std["EN ISO 20345:2011"] if not r["code"].endswith(core_words)], (2, 6)),
        "safety2022": ("footwear", core("EN ISO 20345:2022", core_words),
                       [r for r in by_std["EN ISO 20345:2022"] if not r["code"].endswith(core_words)], (2, 6)),
        "occupational": ("footwear", core("EN ISO 20347:2022", core_words),
                         [r for r in by_std["EN ISO 20347:2022"] if not r["code"].endswith(core_words)], (1, 5)),
        "chemistry": ("footwear", [], reach_leather, (5, 10)),
        "textile": ("textile_apparel", [], reach_textile, (5, 9)),
    }
    n_reach_extra = (1, 3)

    # ---- exporters ----
    districts = json.load(open(os.path.join(ROOT, "catalog/districts/districts.json")))["districts"]
    heavy = {"Agra": 30, "Kanpur Nagar": 18, "Unnao": 8, "Lucknow": 4, "Noida": 0, "Gautam Buddha Nagar": 4,
             "Meerut": 3, "Moradabad": 3, "Varanasi": 2, "Saharanpur": 2}
    dweights = [heavy.get(d["name"], 0.35) for d in districts]
    org_id0 = int(db.scalar("SELECT COALESCE(MAX(id), 0) FROM organizations")) + 1
    tmp = args.tmp or tempfile.mkdtemp(prefix="pramaan-history.")
    os.makedirs(tmp, exist_ok=True)
    orgs = Table(tmp, "organizations", ["id", "name", "short_name", "iec", "gstin", "address", "district", "state",
                                        "odop_product"])
    exporters = []
    kinds = ["Footwear", "Leather", "Shoes", "Overseas", "Tanners", "Exports", "Safety", "Industries"]
    for i in range(args.exporters):
        d = rng.choices(districts, dweights)[0]
        name = f"{rng.choice(['Shri', 'New', 'Royal', 'Indo', 'Ganga', 'Taj', 'Oriental', 'Paras', 'Sai', 'Star'])}" \
               f" {rng.choice(kinds)} {rng.choice(kinds)} Pvt Ltd {i + 1:04d}"
        product = d["odop_product"] or "Leather products"
        oid = org_id0 + i
        orgs.add(oid, name, name[:40], f"{7100000000 + oid:010d}", None, f"{d['name']}, Uttar Pradesh", d["name"],
                 d["state"], product)
        quality = math.exp(rng.gauss(0, 0.6)) * (4.0 if rng.random() < 0.05 else 1.0)  # 5 % repeat offenders
        plan_mix = ["textile"] if rng.random() < 0.12 else ["safety", "occupational", "chemistry"]
        exporters.append((oid, d["name"], product, quality, plan_mix))
    ex_weights = [1.0 / (k + 10) ** 0.9 for k in range(len(exporters))]  # a long tail of small exporters

    # ---- users / ids ----
    now = datetime.now(timezone.utc).replace(tzinfo=None, minute=0, second=0, microsecond=0)
    start = now - timedelta(days=365 * args.years)
    db.run("INSERT IGNORE INTO users (username, name, password_hash, roles, disabled, created_at, password_changed_at)"
           f" VALUES ('history-signatory', 'History Signatory', '!', 'signatory', 1, '{sql_dt(start)}',"
           f" '{sql_dt(start)}')")
    signer_id = int(db.scalar("SELECT id FROM users WHERE username = 'history-signatory'"))
    nxt = {t: int(db.scalar(f"SELECT COALESCE(MAX(id), 0) FROM {t}")) + 1
           for t in ("samples", "tests", "results", "certificates", "e_signatures", "rejections")}
    if int(db.scalar("SELECT COUNT(*) FROM samples")) or int(db.scalar("SELECT COUNT(*) FROM certificates")):
        sys.exit("history_generator: the database already has samples or certificates; use a fresh one")

    # ---- samples in order of receipt (volume grows ~15 %/year) ----
    span = (now - timedelta(days=20) - start).total_seconds()
    samples = []
    total_tests = 0
    while total_tests < args.results:
        u = rng.random()
        frac = math.log1p(u * (math.exp(0.7) - 1)) / 0.7  # density rising over the period
        received = start + timedelta(seconds=int(frac * span))
        received = received.replace(hour=rng.randint(9, 17), minute=rng.randint(0, 59), second=rng.randint(0, 59))
        ex = rng.choices(exporters, ex_weights)[0]
        mix = ex[4][0] if len(ex[4]) == 1 else rng.choices(ex[4], [45, 30, 25])[0]
        if mix == "safety":
            mix = "safety2011" if received < start + timedelta(days=365 * 2 + rng.randint(-90, 90)) else "safety2022"
        family, always, pool, (lo, hi) = plans[mix]
        tests = list(always) + rng.sample(pool, min(len(pool), rng.randint(lo, hi)))
        if mix in ("safety2011", "safety2022", "occupational"):
            tests += rng.sample(reach_leather, rng.randint(*n_reach_extra))
        seen, uniq = set(), []
        for r in tests:
            if r["code"] not in seen:
                seen.add(r["code"])
                uniq.append(r)
        hours = max(6, int(rng.lognormvariate(math.log(90), 0.5)))  # median ~4 days, p90 ~8
        issued = received + timedelta(hours=hours, minutes=rng.randint(0, 59))
        samples.append((received, ex, family, uniq, issued))
        total_tests += len(uniq)
    samples.sort(key=lambda s: s[0])
    gen_t = time.monotonic()

    T = {
        "samples": Table(tmp, "samples", ["id", "lab_id", "number", "year", "sequence", "exporter_id", "product",
                                          "article", "lot", "quantity", "quantity_unit", "destination",
                                          "decision_rule", "receipt_condition", "storage_location", "status",
                                          "received_at", "product_family", "due_date", "issued_at"]),
        "tests": Table(tmp, "tests", ["id", "sample_id", "requirement_id", "standard", "clause", "property", "label",
                                      "method", "comparator", "limit_value", "unit", "status", "specimens",
                                      "created_at"]),
        "results": Table(tmp, "results", ["id", "test_id", "unit", "verdict", "explanation", "entered_at",
                                          "created_at"]),
        "result_values": Table(tmp, "result_values", ["result_id", "replicate", "value"]),
    }
    sample_seq = defaultdict(int)
    issued_list = []  # (issued, sample_id, sample_number, ex, family, destination, rule, received, failing, verdict, tests)
    sid, tid, rid = nxt["samples"], nxt["tests"], nxt["results"]
    for received, ex, family, reqs_of, issued in samples:
        year = received.year
        sample_seq[year] += 1
        number = f"{lab_code}-{year:04d}-{sample_seq[year]:06d}"
        dest = rng.choices([m for m, _ in MARKETS], [w for _, w in MARKETS])[0]
        rule = "guarded" if rng.random() < 0.2 else "simple"
        T["samples"].add(sid, lab_id, number, year, sample_seq[year], ex[0],
                         "Safety boots" if family == "footwear" else "Cotton garments", f"ART-{rng.randint(100, 9999)}",
                         f"L{rng.randint(1, 99999):05d}", rng.randint(2, 12), "pairs" if family == "footwear" else "pieces",
                         dest, rule, "intact", f"R{rng.randint(1, 40)}", "issued", sql_dt(received), family,
                         (received + timedelta(days=7)).strftime("%Y-%m-%d"), sql_dt(issued))
        worst = "pass"
        failing = []
        tests = []
        for r in reqs_of:
            fails = rng.random() < min(0.5, r["p"] * ex[3])
            if fails:
                verdict = "conditional_fail" if rule == "guarded" and rng.random() < 0.3 else "fail"
            else:
                verdict = "conditional_pass" if rule == "guarded" and rng.random() < 0.02 else "pass"
            vals = values_for(r, fails, rng)
            entered = received + (issued - received) * rng.uniform(0.3, 0.85)
            entered = entered.replace(microsecond=0)
            T["tests"].add(tid, sid, r["id"], r["standard"], r["clause"], r["property"], r["label"], r["method"],
                           r["comparator"], r["limit_value"], r["unit"], "approved", r["specimens"], sql_dt(received))
            T["results"].add(rid, tid, r["unit"], verdict,
                             f"{verdict}: {'; '.join(vals)} judged against {r['comparator']} {r['limit_value']} "
                             f"{r['unit']} ({rule})", sql_dt(entered), sql_dt(entered))
            for k, v in enumerate(vals, 1):
                T["result_values"].add(rid, k, v)
            worst = max(worst, verdict, key=WORST.get)
            tests.append((tid, rid, r, verdict, vals, entered))
            if verdict in FAILING:
                failing.append(tests[-1])
            tid += 1
            rid += 1
        issued_list.append((issued, sid, number, ex, family, dest, rule, received, failing, worst, tests))
        sid += 1

    # ---- certificates in order of issue, and the fact tables as RecordIssuedSample writes them ----
    issued_list.sort(key=lambda s: (s[0], s[1]))
    T["e_signatures"] = Table(tmp, "e_signatures", ["id", "user_id", "signer", "meaning", "record", "signed_at"])
    T["certificates"] = Table(tmp, "certificates", ["id", "lab_id", "number", "year", "sequence", "sample_id",
                                                    "exporter_id", "kind", "verdict", "issued_at", "issued_by",
                                                    "signature_id", "pdf", "pdf_sha256", "credential", "status"])
    T["rejections"] = Table(tmp, "rejections", [
        "id", "sample_id", "test_id", "result_id", "certificate_id", "lab_id", "sample_number", "report_number",
        "exporter_id", "district", "odop_product", "product_family", "destination", "requirement_id",
        "requirement_code", "standard", "clause", "property", "value", "result_unit", "comparator", "limit_value",
        "limit_unit", "verdict", "decision_rule", "received_at", "tested_at", "issued_at"])
    T["sample_outcomes"] = Table(tmp, "sample_outcomes", [
        "sample_id", "certificate_id", "lab_id", "exporter_id", "district", "odop_product", "issued_month",
        "issued_at", "turnaround_hours", "rejected"])
    cert_seq = defaultdict(int)
    month_counts = defaultdict(lambda: [0, 0])
    cid, sgid, jid = nxt["certificates"], nxt["e_signatures"], nxt["rejections"]
    for issued, sample_id, snum, ex, family, dest, rule, received, failing, worst, tests in issued_list:
        year = issued.year
        cert_seq[year] += 1
        cnum = f"{lab_code}-C-{year:04d}-{cert_seq[year]:06d}"
        T["e_signatures"].add(sgid, signer_id, "History Signatory", "issue", cnum, sql_dt(issued))
        T["certificates"].add(cid, lab_id, cnum, year, cert_seq[year], sample_id, ex[0],
                              "test_report" if failing else "certificate_of_conformity", worst, sql_dt(issued),
                              signer_id, sgid, "%PDF-1.7 generated history placeholder\n",
                              hashlib.sha256(cnum.encode()).hexdigest(), "", "valid")
        for test_id, result_id, r, verdict, vals, entered in failing:  # ORDER BY t.id
            T["rejections"].add(jid, sample_id, test_id, result_id, cid, lab_id, snum, cnum, ex[0], ex[1], ex[2],
                                family, dest, r["id"], r["code"], r["standard"], r["clause"], r["property"],
                                "; ".join(vals), r["unit"], r["comparator"], r["limit_value"], r["unit"], verdict,
                                rule, sql_dt(received), sql_dt(entered), sql_dt(issued))
            jid += 1
        month = issued.strftime("%Y-%m-01")
        turnaround = max(0, int((issued - received).total_seconds() // 3600))
        T["sample_outcomes"].add(sample_id, cid, lab_id, ex[0], ex[1], ex[2], month, sql_dt(issued), turnaround,
                                 1 if failing else 0)
        for test_id, result_id, r, verdict, vals, entered in tests:
            c = month_counts[(month, r["id"])]
            c[0] += 1
            c[1] += verdict in FAILING
        cid += 1
        sgid += 1
    T["requirement_month_counts"] = Table(tmp, "requirement_month_counts",
                                          ["issued_month", "requirement_id", "tested", "failed"])
    for (month, req_id), (tested, failed) in sorted(month_counts.items()):
        T["requirement_month_counts"].add(month, req_id, tested, failed)
    files_t = time.monotonic()
    print(f"history_generator: files written in {files_t - t0:.1f} s ({gen_t - t0:.1f} s planning) in {tmp}",
          flush=True)

    # ---- load ----
    order = ["organizations", "samples", "tests", "results", "result_values", "e_signatures", "certificates",
             "rejections", "sample_outcomes", "requirement_month_counts"]
    counters = []
    for y, n in sample_seq.items():
        counters.append(f"INSERT INTO sample_counters (lab_id, year, last_sequence) VALUES ({lab_id}, {y}, {n})"
                        f" ON DUPLICATE KEY UPDATE last_sequence = GREATEST(last_sequence, {n});")
    for y, n in cert_seq.items():
        counters.append(f"INSERT INTO certificate_counters (lab_id, year, last_sequence) VALUES ({lab_id}, {y}, {n})"
                        f" ON DUPLICATE KEY UPDATE last_sequence = GREATEST(last_sequence, {n});")
    for name in ["organizations"] + order[1:]:
        tl = time.monotonic()
        tbl = orgs if name == "organizations" else T[name]
        db.run("SET foreign_key_checks = 0; SET unique_checks = 0; " + tbl.load_sql())
        print(f"  loaded {name:26s} {tbl.rows:>9d} rows in {time.monotonic() - tl:6.1f} s", flush=True)
    db.run(" ".join(counters))
    load_t = time.monotonic()
    db.run("ANALYZE TABLE organizations, samples, tests, results, result_values, certificates, rejections,"
           " sample_outcomes, requirement_month_counts")
    print(f"history_generator: loaded in {load_t - files_t:.1f} s, ANALYZE {time.monotonic() - load_t:.1f} s;"
          f" total {time.monotonic() - t0:.1f} s", flush=True)

    counts = db.run(" UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {t}" for t in order))
    for t, n in counts:
        print(f"  {t:26s} {int(n):>9d}")
    rej = db.run("SELECT SUM(rejected), COUNT(*) FROM sample_outcomes")[0]
    print(f"  rejected samples {int(rej[0])} of {int(rej[1])} ({100.0 * int(rej[0]) / int(rej[1]):.2f} %)")
    for code, n in db.run("SELECT requirement_code, COUNT(*) FROM rejections GROUP BY requirement_code"
                          " ORDER BY 2 DESC LIMIT 5"):
        print(f"  top failing {code}: {n}")

    if args.check:
        # The store's own derivation (rejection_store.cc) for a sample of certificates, compared.
        cur = (" FROM certificates c JOIN samples s ON s.id = c.sample_id"
               " JOIN tests t ON t.sample_id = s.id AND t.status = 'approved'"
               " JOIN results r ON r.id = (SELECT MAX(r2.id) FROM results r2 WHERE r2.test_id = t.id) ")
        pick = f"SELECT id FROM certificates ORDER BY RAND({args.seed}) LIMIT {args.check}"
        checks = {
            "rejections": (
                "SELECT COUNT(*) FROM (SELECT s.id, t.id AS tid, r.id AS rid, c.number, o.district, o.odop_product,"
                " s.product_family, s.destination, q.code, t.clause, COALESCE((SELECT GROUP_CONCAT(v.value ORDER BY"
                " v.replicate SEPARATOR '; ') FROM result_values v WHERE v.result_id = r.id), '') AS value, r.unit,"
                " t.limit_value, r.verdict, s.decision_rule, s.received_at, r.entered_at, c.issued_at" + cur +
                "JOIN organizations o ON o.id = s.exporter_id JOIN requirements q ON q.id = t.requirement_id"
                " WHERE c.id IN (SELECT id FROM x) AND r.verdict IN ('fail', 'conditional_fail')) a"
                " LEFT JOIN rejections j ON j.test_id = a.tid AND j.sample_id = a.id AND j.result_id = a.rid"
                " AND j.report_number = a.number AND j.district = a.district AND j.odop_product = a.odop_product"
                " AND j.product_family = a.product_family AND j.destination = a.destination"
                " AND j.requirement_code = a.code AND j.value = a.value AND j.result_unit = a.unit"
                " AND j.limit_value = a.limit_value AND j.verdict = a.verdict AND j.decision_rule = a.decision_rule"
                " AND j.received_at = a.received_at AND j.tested_at = a.entered_at AND j.issued_at = a.issued_at"
                " WHERE j.id IS NULL"),
            "sample_outcomes": (
                "SELECT COUNT(*) FROM certificates c JOIN samples s ON s.id = c.sample_id"
                " JOIN organizations o ON o.id = s.exporter_id LEFT JOIN sample_outcomes so ON so.sample_id = s.id"
                " AND so.certificate_id = c.id AND so.district = o.district AND so.odop_product = o.odop_product"
                " AND so.issued_month = DATE_FORMAT(c.issued_at, '%Y-%m-01') AND so.issued_at = c.issued_at"
                " AND so.turnaround_hours = GREATEST(0, TIMESTAMPDIFF(HOUR, s.received_at, c.issued_at))"
                " AND so.rejected = EXISTS (SELECT 1 FROM rejections j WHERE j.sample_id = s.id)"
                " WHERE c.id IN (SELECT id FROM x) AND so.sample_id IS NULL"),
        }
        bad = 0
        for name, sql in checks.items():
            n = int(db.run(f"CREATE TEMPORARY TABLE x (id BIGINT PRIMARY KEY) AS {pick}; {sql}")[0][0])
            print(f"  check {name}: {n} mismatching rows in {args.check} certificates")
            bad += n
        # requirement_month_counts: the whole table against the store's aggregation.
        n = int(db.scalar(
            "SELECT COUNT(*) FROM (SELECT DATE_FORMAT(c.issued_at, '%Y-%m-01') m, t.requirement_id q, COUNT(*) n,"
            " SUM(r.verdict IN ('fail', 'conditional_fail')) f" + cur + "GROUP BY m, q) a"
            " LEFT JOIN requirement_month_counts k ON k.issued_month = a.m AND k.requirement_id = a.q"
            " AND k.tested = a.n AND k.failed = a.f WHERE k.issued_month IS NULL"))
        print(f"  check requirement_month_counts: {n} mismatching (month, requirement) rows")
        bad += n
        if bad:
            sys.exit("history_generator: the fact tables do not match the store's derivation")
    if not args.tmp:
        for t in list(T.values()) + [orgs]:
            os.unlink(t.path)
        os.rmdir(tmp)
    print(f"history_generator: done in {time.monotonic() - t0:.1f} s")


if __name__ == "__main__":
    main()
