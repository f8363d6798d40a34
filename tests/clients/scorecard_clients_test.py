#!/usr/bin/env python3
"""GetScorecard decoded by clients this project did not write: Node's
@grpc/grpc-js with @grpc/proto-loader (protobufjs 7, which keeps only the
last occurrence of a repeated embedded message) and Python's grpcio, each
with code generated from protos/ alone, against the real carescored loaded
with the Rotherham sample by the real carescore CLI. Each client asks for
LA 372's October 2018 scorecard twice: a miss, then a hit. Every line is
checked against the sample file.

carescored is started twice: with no version lease for the loading and the
Python client (its hit is found after asking for the versions), then with a
long lease for the Node client (its hit is answered on gRPC's thread without
asking): both of the edge's hit paths.

Loading uses an admin token and the clients a `panel_member` token for LA
372 (councillors' read of scorecards), both minted by `carescore token mint`
with the development key carescored makes in its data folder.

Usage: scorecard_clients_test.py BIN_DIR SAMPLES_DIR ENGLAND_DIR PROJECT_DIR
"""

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

BIN_DIR, SAMPLES, ENGLAND, PROJECT = sys.argv[1:5]
del sys.argv[1:5]
PROTOS = os.path.join(PROJECT, "protos")
HERE = os.path.dirname(os.path.abspath(__file__))
LA, MONTH = "372", "2018-10"

sys.path.insert(0, os.path.dirname(HERE))
import carescore_harness as harness  # noqa: E402  pylint: disable=wrong-import-position


def carescored(data_dir, lease_ms):
    """The real carescored on a free port, started."""
    return harness.Server(BIN_DIR, data_dir,
                          extra=["--version-lease-ms", str(lease_ms)]).start()


def expected_lines():
    """The sample's October 2018 values for LA 372, by code: every indicator
    with a monthly value in the last financial year or this one so far (None
    for a code with no October value)."""
    by_code = {}
    with open(os.path.join(SAMPLES, "monthly_values.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["la_code"] != LA or not "2017-04" <= row["period"] <= MONTH:
                continue
            by_code.setdefault(row["code"], None)
            if row["period"] == MONTH and row["value"] != "":
                by_code[row["code"]] = float(row["value"])
    return by_code


class ScorecardClientsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="carescore-clients-")
        cls.data_dir = os.path.join(cls.tmp, "data")
        os.makedirs(cls.data_dir)
        server = carescored(cls.data_dir, lease_ms=0)
        admin = server.token("clients-admin", "admin")
        try:
            for args in (
                    ["import", "las", f"{ENGLAND}/local_authorities.csv"],
                    ["import", "indicators", f"{SAMPLES}/indicators.csv", "--year", "2018-19"],
                    ["import", "values", f"{SAMPLES}/monthly_values.csv"],
                    ["import", "outturns", f"{SAMPLES}/annual_outturns.csv"],
                    ["import", "neighbours", f"{ENGLAND}/statistical_neighbours_2025.csv",
                     "--model", "2025"],
                    ["import", "benchmarks", f"{SAMPLES}/published_benchmarks.csv",
                     "--year", "2016-17"]):
                r = harness.run_cli(BIN_DIR, server.address, args, token=admin)
                if r.returncode != 0:
                    raise AssertionError(f"carescore {' '.join(args)} failed: {r.stderr}")
        finally:
            server.stop()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_client(self, command, lease_ms):
        """A fresh carescored (so the first call is a miss), then the client."""
        server = carescored(self.data_dir, lease_ms)
        env = harness.clean_env()
        env["CARESCORE_TOKEN"] = server.token("councillor-1", "panel_member", [LA])
        try:
            r = subprocess.run([*command, server.address, PROTOS, LA, MONTH, "2"],
                               capture_output=True, text=True, timeout=300,
                               cwd=PROJECT, env=env)
        finally:
            server.stop()
        self.assertEqual(r.returncode, 0, r.stderr)
        return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]

    def check_miss_then_hit(self, responses):
        expected = expected_lines()
        self.assertEqual(len(expected), 39)
        self.assertEqual([r["cache"] for r in responses], ["miss", "hit"])
        for response in responses:
            with self.subTest(cache=response["cache"]):
                self.assertEqual((response["la_code"], response["la_name"], response["month"]),
                                 (LA, "Rotherham", MONTH))
                lines = {line["code"]: line for line in response["lines"]}
                self.assertEqual(len(response["lines"]), 39)
                self.assertEqual(sorted(lines), sorted(expected))
                for code, value in expected.items():
                    if value is None:
                        self.assertIsNone(lines[code]["value"], code)
                    else:
                        self.assertAlmostEqual(lines[code]["value"], value, places=9, msg=code)
                self.assertEqual(lines["6.8"]["rag"], "RAG_RED")        # 89.9 < 90
                self.assertEqual(lines["8.2"]["rag"], "RAG_AMBER")
                self.assertEqual(lines["6.2"]["dot"], "DIRECTION_DECLINING")
                self.assertEqual(lines["6.1"]["dot"], "DIRECTION_INCREASE")
        self.assertEqual(responses[0]["lines"], responses[1]["lines"])
        return responses

    def test_node_grpc_js_with_proto_loader(self):
        if not os.path.isdir(os.path.join(PROJECT, "node_modules", "@grpc", "proto-loader")):
            self.fail("node_modules is missing: run `npm ci` in " + PROJECT)
        node = shutil.which("node")
        self.assertIsNotNone(node, "node is not on PATH")
        self.check_miss_then_hit(self.run_client(
            [node, os.path.join(HERE, "scorecard_client.js")], lease_ms=10000))

    def run_contract_client(self, command):
        """The client against a carescored with the sample loaded; what it saw,
        and the Chromium processes of that server left a second after."""
        server = carescored(self.data_dir, lease_ms=0)
        env = harness.clean_env()
        env["CARESCORE_TOKEN"] = server.token("integrator", "admin")
        try:
            r = subprocess.run([*command, server.address, PROTOS], capture_output=True,
                               text=True, timeout=300, cwd=PROJECT, env=env)
            time.sleep(1)
            # Each PDF render's Chromium runs with a profile folder named after
            # the server's pid (services/reports/render_pdf.cc).
            left = subprocess.run(["pgrep", "-f", f"carescore-pdf-{server.proc.pid}-"],
                                  capture_output=True, text=True, check=False).stdout.split()
        finally:
            server.stop()
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout.strip().splitlines()[-1]), left

    def check_contract(self, seen, left):
        self.assertEqual((seen["unknown_la"]["code"], seen["unknown_la"]["reason"]),
                         ("NOT_FOUND", "LA_NOT_FOUND"), seen["unknown_la"])
        self.assertEqual(seen["unknown_la"]["domain"], "carescore.gov.uk")
        raised = seen["raise"]
        self.assertEqual((raised["first"]["code"], raised["second"]["code"]), ("OK", "OK"), raised)
        self.assertEqual(raised["first_id"], raised["second_id"])
        self.assertEqual(raised["cases_for_child"], 1)
        self.assertEqual((seen["garbage_token"]["code"], seen["garbage_token"]["reason"]),
                         ("INVALID_ARGUMENT", "INVALID_PAGE_TOKEN"), seen["garbage_token"])
        self.assertIn(seen["pdf_deadline"]["code"], ("DEADLINE_EXCEEDED", "CANCELLED"))
        self.assertEqual(left, [], "Chromium still running a second after the deadline")

    def test_node_contract(self):
        node = shutil.which("node")
        self.assertIsNotNone(node, "node is not on PATH")
        seen, left = self.run_contract_client([node, os.path.join(HERE, "contract_client.js")])
        self.check_contract(seen, left)
        self.assertEqual(seen["no_data"]["reason"], "NO_DATA_FOR_PERIOD", seen["no_data"])
        self.assertEqual(seen["raise"]["reused"]["reason"], "REQUEST_ID_REUSED")
        self.assertEqual(seen["first_page"], {"code": "OK", "items": 5, "next": True})
        self.assertEqual(seen["flipped_token"]["code"], "INVALID_ARGUMENT", seen["flipped_token"])

    def test_python_contract(self):
        seen, left = self.run_contract_client(
            [sys.executable, os.path.join(HERE, "contract_client.py")])
        self.check_contract(seen, left)

    def test_python_grpcio(self):
        self.check_miss_then_hit(self.run_client(
            [sys.executable, os.path.join(HERE, "scorecard_client.py")], lease_ms=0))


if __name__ == "__main__":
    unittest.main()
