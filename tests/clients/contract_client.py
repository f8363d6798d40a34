#!/usr/bin/env python3
"""The API contract as a Python integrator meets it: grpcio with messages
protoc generated from protos/ alone, the error details read from the
grpc-status-details-bin trailer as google.rpc.Status (generated from
protos/google/rpc). Prints one JSON object of what it saw; the test that
runs it judges. Token from $CARESCORE_TOKEN (an admin: it raises a case).

Usage: contract_client.py ADDRESS PROTOS_DIR
"""

import json
import os
import subprocess
import sys
import tempfile

import grpc


def generate(protos_dir, out):
    names = [os.path.join("carescore", "v1", f)
             for f in sorted(os.listdir(os.path.join(protos_dir, "carescore", "v1")))
             if f.endswith(".proto")]
    names += ["google/rpc/status.proto", "google/rpc/error_details.proto"]
    subprocess.run(["protoc", "-I", protos_dir, "-I", "/usr/include", "--python_out", out,
                    *names], check=True)
    sys.path.insert(0, out)


def main():
    address, protos_dir = sys.argv[1:3]
    with tempfile.TemporaryDirectory(prefix="carescore-pycontract-") as out:
        generate(protos_dir, out)
        # pylint: disable=import-outside-toplevel,import-error
        from carescore.v1 import escalations_pb2, indicators_pb2, reports_pb2
        from google.rpc import error_details_pb2, status_pb2
        metadata = [("authorization", "Bearer " + os.environ["CARESCORE_TOKEN"])]

        def describe(error):
            if error is None:
                return {"code": "OK", "reason": ""}
            seen = {"code": error.code().name, "reason": "", "message": error.details()}
            for key, value in error.trailing_metadata() or ():
                if key != "grpc-status-details-bin":
                    continue
                status = status_pb2.Status.FromString(value)
                for detail in status.details:
                    info = error_details_pb2.ErrorInfo()
                    if detail.Unpack(info):
                        seen.update(reason=info.reason, domain=info.domain,
                                    metadata=dict(info.metadata))
            return seen

        with grpc.insecure_channel(address) as channel:
            def call(service, method, request, response_type, timeout=30):
                stub = channel.unary_unary(
                    f"/carescore.v1.{service}/{method}",
                    request_serializer=type(request).SerializeToString,
                    response_deserializer=response_type.FromString)
                try:
                    return stub(request, timeout=timeout, metadata=metadata), None
                except grpc.RpcError as error:  # pylint: disable=broad-except
                    return None, error

            seen = {}
            _, err = call("ReportService", "GetScorecard",
                          reports_pb2.GetScorecardRequest(la_code="999", month="2018-10"),
                          reports_pb2.GetScorecardResponse)
            seen["unknown_la"] = describe(err)
            raise_request = escalations_pb2.RaiseEscalationRequest(
                la_code="372", child_ref="CP-1002", iro_id="iro-py", team="LAC 1",
                themes=["permanence_drift"], stage=1,
                request_id="7a0e5a8c-2d1b-4c3e-8f9a-1b2c3d4e5f60")
            first, err1 = call("EscalationService", "RaiseEscalation", raise_request,
                               escalations_pb2.RaiseEscalationResponse)
            second, err2 = call("EscalationService", "RaiseEscalation", raise_request,
                                escalations_pb2.RaiseEscalationResponse)
            listed, _ = call("EscalationService", "ListEscalations",
                             escalations_pb2.ListEscalationsRequest(la_code="372"),
                             escalations_pb2.ListEscalationsResponse)
            seen["raise"] = {
                "first": describe(err1), "second": describe(err2),
                "first_id": first.escalation.id if first else None,
                "second_id": second.escalation.id if second else None,
                "cases_for_child": sum(1 for e in listed.escalations if e.child_ref == "CP-1002")
                if listed else -1,
            }
            _, err = call("IndicatorService", "ListLocalAuthorities",
                          indicators_pb2.ListLocalAuthoritiesRequest(page_size=5,
                                                                     page_token="garbage"),
                          indicators_pb2.ListLocalAuthoritiesResponse)
            seen["garbage_token"] = describe(err)
            _, err = call("ReportService", "GetReport",
                          reports_pb2.GetReportRequest(la_code="372", month="2018-10",
                                                       format=reports_pb2.REPORT_FORMAT_PDF),
                          reports_pb2.GetReportResponse, timeout=0.2)
            seen["pdf_deadline"] = describe(err)
        print(json.dumps(seen))


if __name__ == "__main__":
    main()
