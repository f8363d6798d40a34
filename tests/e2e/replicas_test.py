"""Two carescored replicas on one PostgreSQL, as an operations team runs
them behind one Service: values imported through one are in the other's
next scorecard, writers split across both lose no revision, an escalation
raised through one reaches a watch on the other, and escalation ids stay
unique. Both trust one key pair (made by openssl here), as replicas do.

usage: replicas_test.py BIN_DIR SAMPLES_DIR ENGLAND_DIR
"""

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import carescore_harness as harness  # noqa: E402

BIN_DIR, SAMPLES, ENGLAND = sys.argv[1:4]
del sys.argv[1:4]


class ReplicasTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="carescore-replicas-")
        cls.pg = harness.Postgres(cls.tmp)
        cls.url = cls.pg.new_database()
        subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-out", "key.pem"], cwd=cls.tmp, check=True,
                       capture_output=True)
        subprocess.run(["openssl", "pkey", "-in", "key.pem", "-pubout", "-out", "key.pub.pem"],
                       cwd=cls.tmp, check=True, capture_output=True)
        cls.key = os.path.join(cls.tmp, "key.pem")
        trust = ["--database", cls.url, "--auth-public-key", os.path.join(cls.tmp, "key.pub.pem")]
        # Started together: the migrations run once, under the advisory lock.
        cls.a = harness.Server(BIN_DIR, os.path.join(cls.tmp, "a"), extra=trust)
        cls.b = harness.Server(BIN_DIR, os.path.join(cls.tmp, "b"), extra=trust)
        starting = [threading.Thread(target=s.start) for s in (cls.a, cls.b)]
        for t in starting:
            t.start()
        for t in starting:
            t.join()
        cls.admin = harness.mint(BIN_DIR, "ops", "admin", private_key=cls.key)
        cls.cli_ok(cls.a, "import", "las", f"{ENGLAND}/local_authorities.csv")
        cls.cli_ok(cls.b, "import", "indicators", f"{SAMPLES}/indicators.csv", "--year",
                   "2018-19")
        cls.cli_ok(cls.a, "import", "values", f"{SAMPLES}/monthly_values.csv")
        cls.cli_ok(cls.b, "import", "outturns", f"{SAMPLES}/annual_outturns.csv")
        cls.cli_ok(cls.a, "import", "benchmarks", f"{SAMPLES}/published_benchmarks.csv",
                   "--year", "2017-18")

    @classmethod
    def tearDownClass(cls):
        for s in (cls.a, cls.b):
            s.stop()
        cls.pg.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def cli(cls, server, *args, token=None):
        return harness.run_cli(BIN_DIR, server.address, args, token=token or cls.admin)

    @classmethod
    def cli_ok(cls, server, *args):
        r = cls.cli(server, *args)
        if r.returncode != 0:
            raise AssertionError(f"carescore {' '.join(args)} on {server.address}: {r.stderr}")
        return r.stdout

    def rows(self, server, *args):
        return list(csv.DictReader(io.StringIO(self.cli_ok(server, *args, "--format", "csv"))))

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_both_replicas_serve_the_same_scorecard(self):
        a = self.cli_ok(self.a, "scorecard", "--la", "372", "--month", "2018-10", "--format",
                        "json")
        b = self.cli_ok(self.b, "scorecard", "--la", "372", "--month", "2018-10", "--format",
                        "json")
        self.assertIn("6.8", a)
        self.assertEqual(a.replace('"cache": "hit"', '"cache": "miss"'),
                         b.replace('"cache": "hit"', '"cache": "miss"'))

    def value_on(self, server, code, month):
        rows = self.rows(server, "scorecard", "--la", "372", "--month", month)
        return {r["code"]: r for r in rows}[code]["value"]

    def test_an_import_through_one_is_in_the_others_next_scorecard(self):
        before = self.value_on(self.b, "6.8", "2018-10")  # Cached on B now.
        path = self.write("rerun.csv",
                          "la_code,code,period,value,numerator,denominator\n"
                          "372,6.8,2018-10,77.7,777,1000\n")
        self.cli_ok(self.a, "import", "values", path, "--source", "replica-a")
        self.assertNotEqual(before, "77.7")
        self.assertEqual(self.value_on(self.b, "6.8", "2018-10"), "77.7")

    def test_writers_split_across_replicas_lose_no_revision(self):
        writers, each = 8, 5
        errors = []

        def write(n):
            server = self.a if n % 2 == 0 else self.b
            for i in range(each):
                path = self.write(f"w{n}-{i}.csv",
                                  "la_code,code,period,value,numerator,denominator\n"
                                  f"372,6.8,2017-06,{n * 5 + i},{n * 5 + i},100\n")
                r = self.cli(server, "import", "values", path, "--source", f"w{n}-{i}")
                if r.returncode != 0:
                    errors.append(r.stderr)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        history = self.rows(self.b, "values", "history", "--la", "372", "--code", "6.8",
                            "--period", "2017-06")
        sources = [r["source"] for r in history if r["source"].startswith("w")]
        self.assertEqual(len(sources), writers * each)
        self.assertEqual(len(set(sources)), writers * each)
        revisions = [int(r["revision"]) for r in history]
        self.assertEqual(revisions, list(range(1, len(history) + 1)))

    def raise_case(self, server, child):
        return self.rows(server, "escalations", "raise", "--la", "372", "--child", child,
                         "--stage", "1", "--theme", "permanence_drift", "--iro", "iro-1",
                         "--team", "LAC 2", "--raised-at", "2018-12-21T10:00:00Z")[0]

    def test_a_watch_on_one_replica_sees_a_case_raised_through_the_other(self):
        watch = subprocess.Popen(
            [os.path.join(BIN_DIR, "carescore"), "--server", self.b.address, "--token",
             self.admin, "escalations", "watch", "--la", "372"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=harness.clean_env())
        try:
            time.sleep(1.5)  # The watch is open on B.
            raised = self.raise_case(self.a, "C-90001")
            seen = []
            reader = threading.Thread(target=lambda: seen.append(watch.stdout.readline()))
            reader.daemon = True
            reader.start()
            reader.join(timeout=10)
            self.assertTrue(seen, "the watch on replica B saw nothing")
            self.assertIn(raised["id"], seen[0])
            self.assertTrue(seen[0].startswith("RAISED"), seen[0])
        finally:
            watch.terminate()
            watch.wait(timeout=10)

    def test_escalation_ids_stay_unique_across_replicas(self):
        ids, errors = [], []

        def raise_some(server, n):
            for i in range(4):
                try:
                    ids.append(self.raise_case(server, f"C-9{n}{i}")["id"])
                except AssertionError as e:
                    errors.append(str(e))

        threads = [threading.Thread(target=raise_some, args=(s, n))
                   for n, s in enumerate([self.a, self.b, self.a, self.b])]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(ids), 16)
        self.assertEqual(len(set(ids)), 16)

    def test_a_pg_dump_restored_elsewhere_serves_the_same(self):
        # deploy/README.md's commands: pg_dump -Fc while serving, pg_restore
        # into an empty database in one transaction, a server started on it.
        dump = os.path.join(self.tmp, "carescore.dump")
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", self.url], check=True,
                       capture_output=True, timeout=300)
        restored = self.pg.new_database()
        subprocess.run(["pg_restore", f"--dbname={restored}", "--no-owner", "--no-privileges",
                        "--single-transaction", "--exit-on-error", dump], check=True,
                       capture_output=True, timeout=300)
        card = self.cli_ok(self.a, "scorecard", "--la", "372", "--month", "2018-10", "--format",
                           "json")
        other = harness.Server(BIN_DIR, os.path.join(self.tmp, "restored"), extra=[
            "--database", restored, "--auth-public-key", os.path.join(self.tmp, "key.pub.pem")])
        other.start()
        try:
            self.assertEqual(
                self.cli_ok(other, "scorecard", "--la", "372", "--month", "2018-10", "--format",
                            "json").replace('"cache": "hit"', '"cache": "miss"'),
                card.replace('"cache": "hit"', '"cache": "miss"'))
            self.cli_ok(other, "audit", "verify")
        finally:
            other.stop()

    def test_the_audit_log_is_one_chain_for_both(self):
        out = self.cli(self.b, "audit", "verify")
        self.assertEqual(out.returncode, 0, out.stderr + out.stdout)
        subjects = self.rows(self.a, "audit", "list", "--limit", "1000")
        self.assertTrue(any("ImportValues" in r["rpc"] for r in subjects))


class PostgresRestartTest(unittest.TestCase):
    """PostgreSQL restarted (as after a crash) under a stream of imports:
    calls in flight fail with UNAVAILABLE, every acknowledged import is
    still there, and the server serves again without a restart of ours."""

    def test_writes_resume_and_nothing_acknowledged_is_lost(self):
        tmp = tempfile.mkdtemp(prefix="carescore-pgrestart-")
        pg = harness.Postgres(tmp, own=True)
        server = None
        try:
            url = pg.new_database()
            server = harness.Server(BIN_DIR, os.path.join(tmp, "s"),
                                    extra=["--database", url]).start()
            token = server.token("ops", "admin")

            def cli(*args):
                return harness.run_cli(BIN_DIR, server.address, args, token=token)

            for args in (("import", "las", f"{ENGLAND}/local_authorities.csv"),
                         ("import", "indicators", f"{SAMPLES}/indicators.csv", "--year",
                          "2018-19")):
                r = cli(*args)
                self.assertEqual(r.returncode, 0, r.stderr)
            acknowledged, failures = [], []
            stop = threading.Event()

            def write():
                n = 0
                while not stop.is_set():
                    n += 1
                    path = os.path.join(tmp, f"v{n}.csv")
                    with open(path, "w") as f:
                        f.write("la_code,code,period,value,numerator,denominator\n"
                                f"372,6.8,2016-05,{n % 100},{n % 100},100\n")
                    r = cli("import", "values", path, "--source", f"n{n}")
                    (acknowledged if r.returncode == 0 else failures).append((n, r.stderr))

            writer = threading.Thread(target=write)
            writer.start()
            time.sleep(2)
            pg.restart()
            time.sleep(3)
            stop.set()
            writer.join(timeout=120)
            # Service resumed: the last writes after the restart succeeded.
            self.assertTrue(acknowledged, failures[:3])
            self.assertGreater(max(n for n, _ in acknowledged),
                               max([n for n, _ in failures] or [0]), failures[-3:])
            for _, err in failures:
                self.assertRegex(err, r"(?i)unavailable|PostgreSQL|connect|terminat", err)
            history = cli("values", "history", "--la", "372", "--code", "6.8", "--period",
                          "2016-05", "--format", "csv")
            self.assertEqual(history.returncode, 0, history.stderr)
            kept = {r["source"] for r in csv.DictReader(io.StringIO(history.stdout))}
            missing = [n for n, _ in acknowledged if f"n{n}" not in kept]
            self.assertEqual(missing, [])
        finally:
            if server:
                server.stop()
            pg.close()
            shutil.rmtree(tmp, ignore_errors=True)


class MoveFromEmbeddedTest(unittest.TestCase):
    """A loaded carescored data folder copied into PostgreSQL by
    carescore-migrate-store serves the same scorecard, the same escalation
    history and a verifying audit chain; a second copy is refused."""

    def test_the_copy_serves_what_the_folder_served(self):
        tmp = tempfile.mkdtemp(prefix="carescore-move-")
        pg = harness.Postgres(tmp)
        try:
            folder = os.path.join(tmp, "embedded")
            embedded = harness.Server(BIN_DIR, folder).start()
            token = embedded.token("ops", "admin")

            def cli(server, *args):
                r = harness.run_cli(BIN_DIR, server.address, args, token=token)
                self.assertEqual(r.returncode, 0, f"carescore {' '.join(args)}: {r.stderr}")
                return r.stdout

            cli(embedded, "import", "las", f"{ENGLAND}/local_authorities.csv")
            cli(embedded, "import", "indicators", f"{SAMPLES}/indicators.csv", "--year", "2018-19")
            cli(embedded, "import", "values", f"{SAMPLES}/monthly_values.csv")
            cli(embedded, "import", "outturns", f"{SAMPLES}/annual_outturns.csv")
            cli(embedded, "import", "benchmarks", f"{SAMPLES}/published_benchmarks.csv",
                "--year", "2017-18")
            raised = list(csv.DictReader(io.StringIO(cli(
                embedded, "escalations", "raise", "--la", "372", "--child", "C-80001",
                "--stage", "1", "--theme", "permanence_drift", "--iro", "iro-1", "--team",
                "LAC 2", "--raised-at", "2019-03-04T10:00:00Z", "--format", "csv"))))[0]
            cli(embedded, "escalations", "escalate", raised["id"], "--at", "2019-03-05")
            card = cli(embedded, "scorecard", "--la", "372", "--month", "2018-10", "--format",
                       "json")
            history = cli(embedded, "escalations", "show", raised["id"], "--format", "json")
            embedded.stop()

            url = pg.new_database()
            move = [os.path.join(BIN_DIR, "carescore-migrate-store"), "--from", folder, "--to",
                    url]
            r = subprocess.run(move, capture_output=True, text=True, timeout=300,
                               env=harness.clean_env())
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("chain intact", r.stdout)
            again = subprocess.run(move, capture_output=True, text=True, timeout=300,
                                   env=harness.clean_env())
            self.assertNotEqual(again.returncode, 0)
            self.assertIn("not empty", again.stderr)

            # The same folder (for its key pair), now on the database.
            moved = harness.Server(BIN_DIR, folder, extra=["--database", url]).start()
            try:
                self.assertEqual(
                    cli(moved, "scorecard", "--la", "372", "--month", "2018-10", "--format",
                        "json").replace('"cache": "hit"', '"cache": "miss"'),
                    card.replace('"cache": "hit"', '"cache": "miss"'))
                self.assertEqual(cli(moved, "escalations", "show", raised["id"], "--format",
                                     "json"), history)
                cli(moved, "audit", "verify")
            finally:
                moved.stop()
        finally:
            pg.close()
            shutil.rmtree(tmp, ignore_errors=True)

    def test_an_unreachable_database_is_named_without_its_password(self):
        tmp = tempfile.mkdtemp(prefix="carescore-baddb-")
        try:
            r = subprocess.run(
                [os.path.join(BIN_DIR, "carescored"), "--listen", "127.0.0.1:0", "--data-dir",
                 tmp, "--database",
                 "postgresql://carescore:s3cret@127.0.0.1:1/carescore?connect_timeout=3"],
                capture_output=True, text=True, timeout=60, env=harness.clean_env())
            self.assertNotEqual(r.returncode, 0)
            out = r.stdout + r.stderr
            self.assertIn("127.0.0.1:1/carescore", out)
            self.assertNotIn("s3cret", out)
            r = subprocess.run(
                [os.path.join(BIN_DIR, "carescored"), "--data-dir", tmp, "--database",
                 "mysql://somewhere/db"], capture_output=True, text=True, timeout=60,
                env=harness.clean_env())
            self.assertEqual(r.returncode, 2)
            self.assertIn("expected a PostgreSQL URL", r.stderr)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
