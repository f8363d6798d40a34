#!/usr/bin/env python3
"""The worked examples in docs/api.md run as written: each service's Python
example (with stubs protoc generates from protos/) and Node.js example
(@grpc/proto-loader on protos/) against the real carescored, loaded with the
Rotherham sample by the real CLI, with an admin token minted by `carescore
token mint`. Each must exit 0 and print what its call answers: Rotherham for
the LA, a 2018-10 scorecard for 372, the server's version, and so on; the
Backup examples must write a tar archive holding manifest.json.

(The Go and C++ examples are checked to parse by lint.api_docs; they were
run by hand against carescored when written.)

Usage: api_examples_test.py BIN_DIR SAMPLES_DIR PROJECT_DIR
"""

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest

BIN_DIR, SAMPLES, PROJECT = (os.path.abspath(a) for a in sys.argv[1:4])
del sys.argv[1:4]
PROTOS = os.path.join(PROJECT, "protos")
HERE = os.path.dirname(os.path.abspath(__file__))

sys.path.insert(0, os.path.dirname(HERE))
import carescore_harness as harness  # noqa: E402  pylint: disable=wrong-import-position

# What each service's example must print (a regular expression), in the
# output of the Python example (protobuf text format) and of the Node.js one
# (JSON with the proto field names).
EXPECTED = {
    "IndicatorService": (r'name: "Rotherham"', r'"name": "Rotherham"'),
    "BenchmarkService": (r'indicator_code: "10.4"', r'"indicator_code": "10.4"'),
    "EscalationService": (r"^$", r'"escalations": \[\]'),
    "ReportService": (r'month: "2018-10"[\s\S]*lines \{', r'"month": "2018-10"'),
    "AuditService": (r"intact: true", r'"intact": true'),
    "AdminService": (r"^$", r"^$"),
    "ServerInfoService": (r'binary: "carescored"', r'"binary": "carescored"'),
}


def examples():
    """{service: {"python": code, "js": code}} from docs/api.md."""
    with open(os.path.join(PROJECT, "docs", "api.md"), encoding="utf-8") as f:
        text = f.read()
    out = {}
    for section in re.split(r"(?m)^### Example: ", text)[1:]:
        service = section.split(".", 1)[0]
        out[service] = dict(re.findall(r"```(python|js)\n(.*?)```", section, re.S))
    return out


class ApiExamplesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="carescore-api-examples-")
        cls.server = harness.Server(BIN_DIR, os.path.join(cls.work, "data")).start()
        cls.token = cls.server.token("docs-admin", ["admin"])
        for args in (["import", "las", os.path.join(SAMPLES, "local_authorities.csv")],
                     ["import", "indicators", os.path.join(SAMPLES, "indicators.csv"),
                      "--year", "2018-19"],
                     ["import", "values", os.path.join(SAMPLES, "monthly_values.csv"),
                      "--source", "docs-examples"],
                     ["import", "benchmarks", os.path.join(SAMPLES, "published_benchmarks.csv"),
                      "--year", "2016-17"]):
            r = harness.run_cli(BIN_DIR, cls.server.address, args, token=cls.token)
            if r.returncode != 0:
                raise AssertionError(f"carescore {' '.join(args[:2])} failed: {r.stderr}")
        cls.gen = os.path.join(cls.work, "gen")
        os.makedirs(cls.gen)
        files = sorted(os.path.join("carescore", "v1", f)
                       for f in os.listdir(os.path.join(PROTOS, "carescore", "v1")))
        subprocess.run(["protoc", "-I", PROTOS, "--python_out", cls.gen,
                        "--grpc_python_out", cls.gen,
                        "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin", *files],
                       check=True)
        cls.examples = examples()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.work, ignore_errors=True)

    def run_example(self, service, language):
        code = self.examples[service][language]
        folder = os.path.join(self.work, f"{service}-{language}")
        os.makedirs(folder)
        path = os.path.join(folder, "example.py" if language == "python" else "example.js")
        with open(path, "w", encoding="utf-8") as f:
            f.write(code)
        env = harness.clean_env()
        env.update(CARESCORE_SERVER=self.server.address, CARESCORE_TOKEN=self.token,
                   PYTHONPATH=self.gen, NODE_PATH=os.path.join(PROJECT, "node_modules"),
                   CARESCORE_PROTOS=PROTOS)
        command = ["/usr/bin/python3", path] if language == "python" else ["node", path]
        r = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120,
                           env=env)
        self.assertEqual(r.returncode, 0, f"{service} {language}: {r.stderr}")
        return folder, r.stdout.strip()

    def test_every_service_has_python_and_node_examples(self):
        self.assertEqual(set(self.examples), set(EXPECTED))
        for service, codes in self.examples.items():
            self.assertEqual(set(codes), {"python", "js"}, service)

    def test_examples_answer(self):
        for service, (python_pattern, node_pattern) in EXPECTED.items():
            for language, pattern in (("python", python_pattern), ("js", node_pattern)):
                with self.subTest(service=service, language=language):
                    folder, output = self.run_example(service, language)
                    self.assertRegex(output, re.compile(pattern, re.M))
                    if service == "AdminService":
                        with tarfile.open(os.path.join(folder, "backup.tar")) as tar:
                            self.assertIn("manifest.json", tar.getnames())


if __name__ == "__main__":
    unittest.main(verbosity=2)
