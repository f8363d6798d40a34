"""A thin client for the carescore API: one channel (TLS with a CA file, or
plaintext for a local server), the bearer token on every call, a default
deadline, and errors raised as CarescoreError with the google.rpc details
(ErrorInfo reason and metadata, BadRequest field violations) decoded.

    from carescore import Client, CarescoreError
    from carescore.v1 import reports_pb2

    with Client("localhost:50051", token=token, ca_file="ca.pem") as client:
        try:
            card = client.reports.GetScorecard(
                reports_pb2.GetScorecardRequest(la_code="372", month="2018-10")).scorecard
        except CarescoreError as e:
            if e.reason == "LA_NOT_FOUND": ...

Every method of every service is reached as client.<service>.<Method>, with
the generated request and response messages; keyword arguments (timeout,
metadata, wait_for_ready, ...) go to grpcio. A server-streaming method
returns an iterator that raises CarescoreError too.
"""

import grpc
from google.protobuf.message import Message

from carescore._rpc import error_details_pb2, status_pb2
from carescore.v1 import (admin_pb2_grpc, audit_pb2_grpc, benchmarks_pb2_grpc,
                          escalations_pb2_grpc, indicators_pb2_grpc, reports_pb2_grpc)

DETAILS_KEY = "grpc-status-details-bin"
ERROR_DOMAIN = "carescore.gov.uk"


class CarescoreError(Exception):
    """A failed call. `code` is the grpc.StatusCode; `reason` the ErrorInfo
    reason (one of carescore.v1.ErrorReason's names, e.g. "LA_NOT_FOUND"),
    or "" when the server sent none; `domain` and `metadata` (a dict) come
    from the same ErrorInfo; `field_violations` is a list of (field,
    description) pairs from a google.rpc.BadRequest."""

    def __init__(self, code, message, reason="", domain="", metadata=None,
                 field_violations=None):
        super().__init__(f"{code.name}: {message}" + (f" [{reason}]" if reason else ""))
        self.code = code
        self.message = message
        self.reason = reason
        self.domain = domain
        self.metadata = dict(metadata or {})
        self.field_violations = list(field_violations or [])

    @classmethod
    def from_rpc_error(cls, error):
        """Decodes a grpc.RpcError (a grpc.Call) and its details trailer."""
        code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
        message = error.details() if hasattr(error, "details") else str(error)
        reason, domain, metadata, violations = "", "", {}, []
        trailers = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
        for key, value in trailers or ():
            if key != DETAILS_KEY:
                continue
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                    info = error_details_pb2.ErrorInfo()
                    detail.Unpack(info)
                    reason, domain, metadata = info.reason, info.domain, dict(info.metadata)
                elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                    bad = error_details_pb2.BadRequest()
                    detail.Unpack(bad)
                    violations += [(v.field, v.description) for v in bad.field_violations]
        return cls(code, message, reason, domain, metadata, violations)


def _raising(iterator):
    try:
        yield from iterator
    except grpc.RpcError as e:
        raise CarescoreError.from_rpc_error(e) from None


class _Service:
    """A generated stub whose methods add the token and the default deadline
    and raise CarescoreError."""

    def __init__(self, stub, client):
        self._stub = stub
        self._client = client

    def __getattr__(self, name):
        method = getattr(self._stub, name)

        def call(request, **kwargs):
            kwargs.setdefault("timeout", self._client.deadline)
            kwargs["metadata"] = self._client.call_metadata() + list(kwargs.get("metadata") or [])
            try:
                result = method(request, **kwargs)
            except grpc.RpcError as e:
                raise CarescoreError.from_rpc_error(e) from None
            return result if isinstance(result, Message) else _raising(result)

        call.__name__ = name
        return call


class Client:
    """One channel to a carescore server and its six services.

    address: "host:port". token: a bearer token (JWT), sent as
    `authorization: Bearer <token>`; None sends none. ca_file: PEM file of
    the CA that signed the server's certificate (TLS); None means plaintext,
    for a server on this machine only. server_name: the name to check the
    certificate against, if not the address's host. deadline: seconds each
    call may take unless the call passes its own `timeout`.
    Thread-safe, like the grpc.Channel it wraps; close() (or `with`) ends it.
    """

    def __init__(self, address, token=None, ca_file=None, deadline=30.0, server_name=None,
                 options=()):
        self.token = token
        self.deadline = deadline
        opts = list(options)
        if server_name:
            opts.append(("grpc.ssl_target_name_override", server_name))
        if ca_file:
            with open(ca_file, "rb") as f:
                credentials = grpc.ssl_channel_credentials(root_certificates=f.read())
            self.channel = grpc.secure_channel(address, credentials, options=opts)
        else:
            self.channel = grpc.insecure_channel(address, options=opts)
        self.indicators = _Service(indicators_pb2_grpc.IndicatorServiceStub(self.channel), self)
        self.benchmarks = _Service(benchmarks_pb2_grpc.BenchmarkServiceStub(self.channel), self)
        self.escalations = _Service(escalations_pb2_grpc.EscalationServiceStub(self.channel), self)
        self.reports = _Service(reports_pb2_grpc.ReportServiceStub(self.channel), self)
        self.audit = _Service(audit_pb2_grpc.AuditServiceStub(self.channel), self)
        self.admin = _Service(admin_pb2_grpc.AdminServiceStub(self.channel), self)

    def call_metadata(self):
        return [("authorization", f"Bearer {self.token}")] if self.token else []

    def close(self):
        self.channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
