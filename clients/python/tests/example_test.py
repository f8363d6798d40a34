#!/usr/bin/env python3
"""Runs one client package's example (Python, Node, Go or C++: the same
output format, see clients/python/examples/scorecard.py) against a real
carescored started here on a free port with an empty data folder, and checks:
- over TLS (a CA and server certificate made by openssl here; the example
  is given the CA file), it loads the shared Rotherham sample (LAs, catalogue with 2018-19 targets,
  monthly values) and prints October 2018's scorecard for LA 372: 39 lines,
  whose codes, values and RAG ratings equal what the real CLI prints
  (`carescore scorecard --la 372 --month 2018-10 --format csv`) from the same
  server;
- asking for LA 999 fails with NOT_FOUND and ErrorInfo reason LA_NOT_FOUND,
  decoded by the client's own error type.

Usage: example_test.py BIN_DIR PROJECT_DIR [--env NAME=VALUE]... [--pip-install DIR]
           -- COMMAND...
COMMAND is the example, given ADDRESS LAS INDICATORS VALUES --year 2018-19
--ca-file CA.pem;
the admin token is in $CARESCORE_TOKEN. --pip-install first installs a copy
of the Python package in DIR (offline: `pip install --no-deps
--no-build-isolation`, which generates its code from PROJECT_DIR/protos)
into a temporary folder put on the example's PYTHONPATH.
"""

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

BIN_DIR, PROJECT = sys.argv[1:3]
rest = sys.argv[3:]
split = rest.index("--")
EXTRA_ENV, PIP_INSTALL = {}, None
for flag, value in zip(rest[:split:2], rest[1:split:2]):
    if flag == "--env":
        name, _, text = value.partition("=")
        EXTRA_ENV[name] = text
    elif flag == "--pip-install":
        PIP_INSTALL = value
    else:
        sys.exit(f"unknown flag {flag}")
COMMAND = rest[split + 1:]
del sys.argv[1:]

sys.path.insert(0, os.path.join(PROJECT, "tests"))
import carescore_harness as harness  # noqa: E402  pylint: disable=wrong-import-position

LA, MONTH = "372", "2018-10"
SAMPLES = os.path.join(PROJECT, "data", "samples")

# A throw-away CA and a server certificate for 127.0.0.1, made by openssl at
# test time: the example reaches the server over TLS, trusting the CA file.
CA_CONFIG = """[req]
distinguished_name = dn
x509_extensions = v3_ca
prompt = no
[dn]
CN = carescore client example test CA
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
"""
SERVER_EXTENSIONS = """basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
"""


def make_certificates(folder):
    """ca.pem, server.pem and server.key in `folder`."""
    os.makedirs(folder)

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)
    with open(os.path.join(folder, "ca.cnf"), "w") as f:
        f.write(CA_CONFIG)
    with open(os.path.join(folder, "server.ext"), "w") as f:
        f.write(SERVER_EXTENSIONS)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", "-config", "ca.cnf", *ec, "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "2")
    openssl("req", "-new", *ec, "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=server")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext")


def cli_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


class ClientExampleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="carescore-client-example-")
        certs = os.path.join(cls.tmp, "certs")
        make_certificates(certs)
        cls.ca = os.path.join(certs, "ca.pem")
        cls.server = harness.Server(
            BIN_DIR, os.path.join(cls.tmp, "data"),
            extra=["--tls-cert", os.path.join(certs, "server.pem"),
                   "--tls-key", os.path.join(certs, "server.key")]).start()
        try:
            cls.run_example()
        except BaseException:
            cls.tearDownClass()  # unittest skips it when setUpClass fails
            raise

    @classmethod
    def run_example(cls):
        cls.token = cls.server.token("client-example", "admin")
        env = harness.clean_env()
        env.update(EXTRA_ENV)
        if PIP_INSTALL:
            env["PYTHONPATH"] = cls.pip_install(env)
        env["CARESCORE_TOKEN"] = cls.token
        started = time.time()
        cls.example = subprocess.run(
            [*COMMAND, cls.server.address, os.path.join(SAMPLES, "local_authorities.csv"),
             os.path.join(SAMPLES, "indicators.csv"), os.path.join(SAMPLES, "monthly_values.csv"),
             "--year", "2018-19", "--ca-file", cls.ca],
            capture_output=True, text=True, timeout=120, env=env, cwd=cls.tmp)
        print(f"example ran in {time.time() - started:.1f} s", file=sys.stderr)
        cls.records = [line.split(",") for line in cls.example.stdout.splitlines() if line]

    @classmethod
    def pip_install(cls, env):
        """The package installed from a copy (so the source folder gets no
        build files) into a folder of its own; that folder."""
        started = time.time()
        source = os.path.join(cls.tmp, "package")
        shutil.copytree(PIP_INSTALL, source,
                        ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
        site = os.path.join(cls.tmp, "site")
        r = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
             "--no-build-isolation", "--no-index", "--target", site, source],
            capture_output=True, text=True, timeout=120,
            env={**env, "CARESCORE_PROTOS": os.path.join(PROJECT, "protos"),
                 "PIP_ROOT_USER_ACTION": "ignore"})
        if r.returncode != 0:
            raise AssertionError(f"pip install failed:\n{r.stdout}\n{r.stderr}")
        print(f"pip install took {time.time() - started:.1f} s", file=sys.stderr)
        return site

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def records_of(self, kind):
        self.assertEqual(self.example.returncode, 0,
                         f"example failed:\n{self.example.stdout}\n{self.example.stderr}")
        return [r[1:] for r in self.records if r[0] == kind]

    def test_loads_the_sample(self):
        [loaded] = self.records_of("loaded")
        def rows(name):
            with open(os.path.join(SAMPLES, name), newline="") as f:
                return list(csv.DictReader(f))
        indicators = rows("indicators.csv")
        rated = [i for i in indicators if i["polarity"] != "info"]
        self.assertEqual([int(n) for n in loaded],
                         [len(rows("local_authorities.csv")), len(indicators), len(rated),
                          len(rows("monthly_values.csv"))])

    def test_scorecard_equals_the_clis(self):
        [header] = self.records_of("scorecard")
        self.assertEqual(header, [LA, "Rotherham", MONTH, "39"])
        lines = self.records_of("line")
        self.assertEqual(len(lines), 39)
        r = harness.run_cli(BIN_DIR, self.server.address,
                            ["scorecard", "--la", LA, "--month", MONTH, "--format", "csv"],
                            token=self.token, extra=["--tls-ca", self.ca])
        self.assertEqual(r.returncode, 0, r.stderr)
        expected = cli_rows(r.stdout)
        self.assertEqual([line[0] for line in lines], [row["code"] for row in expected])
        for (code, value, rag, places), row in zip(lines, expected):
            with self.subTest(code=code):
                self.assertEqual(rag, row["rag"] or "none")
                if row["value"] == "":
                    self.assertEqual(value, "")
                    continue
                # The CLI rounds half away from zero to the line's places.
                self.assertLessEqual(abs(float(value) - float(row["value"])),
                                     0.5 * 10 ** -int(places) + 1e-9)
        by_code = {line[0]: line for line in lines}
        self.assertEqual(by_code["6.8"][2], "red")  # 89.9% reviews in time, against 90%
        self.assertAlmostEqual(float(by_code["8.2"][1]), 12.1, places=6)

    def test_unknown_la_is_la_not_found(self):
        [error] = self.records_of("error")
        self.assertEqual(error, ["999", "NOT_FOUND", "LA_NOT_FOUND"])


if __name__ == "__main__":
    unittest.main()
