#!/usr/bin/env python3
"""GetScorecard as a Python integrator calls it: grpcio with messages that
protoc generated from protos/ alone (no grpc_tools needed: the method is
called by name with the message's own SerializeToString/FromString). Calls
GetScorecard COUNT times and prints each decoded response as one JSON line:
{cache, la_code, la_name, month, lines}. The bearer token comes from
$CARESCORE_TOKEN, sent as `authorization: Bearer <token>` call metadata.

Usage: scorecard_client.py ADDRESS PROTOS_DIR LA MONTH COUNT
"""

import json
import os
import subprocess
import sys
import tempfile

import grpc

def generated_modules(protos_dir, out):
    """reports_pb2, generated here by protoc (with the messages it imports)."""
    names = [os.path.join("carescore", "v1", f)
             for f in sorted(os.listdir(os.path.join(protos_dir, "carescore", "v1")))
             if f.endswith(".proto")]
    subprocess.run(["protoc", "-I", protos_dir, "-I", "/usr/include", "--python_out", out, *names],
                   check=True)
    sys.path.insert(0, out)
    from carescore.v1 import reports_pb2  # pylint: disable=import-outside-toplevel
    return reports_pb2


def main():
    address, protos_dir, la_code, month, count = sys.argv[1:6]
    with tempfile.TemporaryDirectory(prefix="carescore-pyclient-") as out:
        reports_pb2 = generated_modules(protos_dir, out)
        with grpc.insecure_channel(address) as channel:
            get_scorecard = channel.unary_unary(
                "/carescore.v1.ReportService/GetScorecard",
                request_serializer=reports_pb2.GetScorecardRequest.SerializeToString,
                response_deserializer=reports_pb2.GetScorecardResponse.FromString)
            request = reports_pb2.GetScorecardRequest(la_code=la_code, month=month)
            token = os.environ.get("CARESCORE_TOKEN", "")
            metadata = [("authorization", f"Bearer {token}")] if token else []
            for _ in range(int(count)):
                response = get_scorecard(request, timeout=60, metadata=metadata)
                card = response.scorecard
                print(json.dumps({
                    "cache": response.cache,
                    "la_code": card.la_code,
                    "la_name": card.la_name,
                    "month": card.month,
                    "lines": [{
                        "code": line.code,
                        "value": line.value if line.HasField("value") else None,
                        "rag": reports_pb2.Rag.Name(line.rag),
                        "dot": reports_pb2.Direction.Name(line.dot),
                    } for line in card.lines],
                }), flush=True)


if __name__ == "__main__":
    main()
