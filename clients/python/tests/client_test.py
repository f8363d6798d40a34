#!/usr/bin/env python3
"""The Python Client against an in-process fake ReportService (grpcio, on an
ephemeral port): the bearer token and the default deadline arrive, a
per-call timeout overrides the default, and an error's details trailer
(google.rpc.Status with ErrorInfo and BadRequest) becomes a CarescoreError
with code, reason, domain, metadata and field violations.

The package is pip-installed (offline) from a copy of PACKAGE_DIR into a
temporary folder first, generating its code from PROTOS_DIR.

Usage: client_test.py PACKAGE_DIR PROTOS_DIR
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
from concurrent import futures

import grpc

PACKAGE, PROTOS = (os.path.abspath(p) for p in sys.argv[1:3])
del sys.argv[1:3]
TMP = tempfile.mkdtemp(prefix="carescore-pyclient-")


def install():
    source = os.path.join(TMP, "package")
    shutil.copytree(PACKAGE, source,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    site = os.path.join(TMP, "site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--no-index", "--target", site, source],
                   check=True, timeout=120,
                   env={**os.environ, "CARESCORE_PROTOS": PROTOS, "PIP_ROOT_USER_ACTION": "ignore"})
    sys.path.insert(0, site)


install()
# pylint: disable=wrong-import-position,import-error
from carescore import CarescoreError, Client  # noqa: E402
from carescore._rpc import error_details_pb2, status_pb2  # noqa: E402
from carescore.v1 import reports_pb2  # noqa: E402


class FakeReports:
    """GetScorecard: 372 answers, anything else is NOT_FOUND with details."""

    def __init__(self):
        self.metadata = {}
        self.time_remaining = None

    def get_scorecard(self, request, context):
        self.metadata = dict(context.invocation_metadata())
        self.time_remaining = context.time_remaining()
        if request.la_code == "372":
            return reports_pb2.GetScorecardResponse(
                scorecard=reports_pb2.Scorecard(la_code="372"), cache="uncached")
        info = error_details_pb2.ErrorInfo(reason="LA_NOT_FOUND", domain="carescore.gov.uk",
                                           metadata={"la_code": request.la_code})
        bad = error_details_pb2.BadRequest(field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field="la_code",
                                                        description="no such LA")])
        status = status_pb2.Status(code=grpc.StatusCode.NOT_FOUND.value[0],
                                   message=f"no local authority {request.la_code}")
        status.details.add().Pack(info)
        status.details.add().Pack(bad)
        context.set_trailing_metadata([("grpc-status-details-bin", status.SerializeToString())])
        context.abort(grpc.StatusCode.NOT_FOUND, status.message)


class ClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeReports()
        cls.server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        handler = grpc.method_handlers_generic_handler("carescore.v1.ReportService", {
            "GetScorecard": grpc.unary_unary_rpc_method_handler(
                cls.fake.get_scorecard,
                request_deserializer=reports_pb2.GetScorecardRequest.FromString,
                response_serializer=reports_pb2.GetScorecardResponse.SerializeToString)})
        cls.server.add_generic_rpc_handlers((handler,))
        cls.port = cls.server.add_insecure_port("127.0.0.1:0")
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop(None)
        shutil.rmtree(TMP, ignore_errors=True)

    def client(self, **kwargs):
        return Client(f"127.0.0.1:{self.port}", **kwargs)

    def test_sends_the_token_and_the_default_deadline(self):
        with self.client(token="t0k", deadline=5) as client:
            response = client.reports.GetScorecard(
                reports_pb2.GetScorecardRequest(la_code="372", month="2018-10"))
        self.assertEqual(response.scorecard.la_code, "372")
        self.assertEqual(self.fake.metadata["authorization"], "Bearer t0k")
        self.assertGreater(self.fake.time_remaining, 1)
        # The grpc-timeout header is rounded, so a little slack.
        self.assertLessEqual(self.fake.time_remaining, 5.5)

    def test_a_call_timeout_overrides_the_default(self):
        with self.client(deadline=60) as client:
            client.reports.GetScorecard(reports_pb2.GetScorecardRequest(la_code="372"),
                                        timeout=2)
        self.assertLessEqual(self.fake.time_remaining, 2.5)
        self.assertNotIn("authorization", self.fake.metadata)

    def test_decodes_the_error_details(self):
        with self.client() as client:
            with self.assertRaises(CarescoreError) as raised:
                client.reports.GetScorecard(reports_pb2.GetScorecardRequest(la_code="999"))
        e = raised.exception
        self.assertEqual(e.code, grpc.StatusCode.NOT_FOUND)
        self.assertEqual(e.reason, "LA_NOT_FOUND")
        self.assertEqual(e.domain, "carescore.gov.uk")
        self.assertEqual(e.metadata, {"la_code": "999"})
        self.assertEqual(e.field_violations, [("la_code", "no such LA")])
        self.assertEqual(str(e), "NOT_FOUND: no local authority 999 [LA_NOT_FOUND]")

    def test_unreachable_server_is_unavailable_without_reason(self):
        started = time.time()
        with Client("127.0.0.1:1", deadline=5) as client:
            with self.assertRaises(CarescoreError) as raised:
                client.reports.GetScorecard(reports_pb2.GetScorecardRequest(la_code="372"))
        self.assertEqual(raised.exception.code, grpc.StatusCode.UNAVAILABLE)
        self.assertEqual(raised.exception.reason, "")
        self.assertLess(time.time() - started, 5)


if __name__ == "__main__":
    unittest.main()
