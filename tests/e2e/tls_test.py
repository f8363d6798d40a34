#!/usr/bin/env python3
"""End-to-end transport security: TLS and mutual TLS on the real binaries,
the CLI's --tls-ca, the loopback rule for plaintext, peer channels over TLS,
the plaintext health-only port and the reflection switch. Certificates are
made by openssl in a temporary folder at test time (no key is committed);
health and reflection are checked with Google's Python gRPC client.

Usage: tls_test.py BIN_DIR SAMPLES_DIR ENGLAND_DIR
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import grpc

BIN_DIR, SAMPLES, ENGLAND = sys.argv[1:4]
del sys.argv[1:4]

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import carescore_harness as harness  # noqa: E402  pylint: disable=wrong-import-position

free_port = harness.free_port
load_upstream_protos = harness.load_upstream_protos

CA_CONFIG = """[req]
distinguished_name = dn
x509_extensions = v3_ca
prompt = no
[dn]
CN = {name}
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
"""

LEAF_EXTENSIONS = """basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = {usage}
subjectAltName = IP:127.0.0.1, DNS:localhost
"""


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(folder, name):
    with open(os.path.join(folder, f"{name}.cnf"), "w") as f:
        f.write(CA_CONFIG.format(name=f"carescore test {name}"))
    openssl("req", "-x509", "-config", f"{name}.cnf", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", f"{name}.key", "-out",
            f"{name}.pem", "-days", "2", cwd=folder)


def make_leaf(folder, ca, name, usage):
    """{name}.pem and {name}.key signed by {ca}, for 127.0.0.1 and localhost."""
    with open(os.path.join(folder, f"{name}.ext"), "w") as f:
        f.write(LEAF_EXTENSIONS.format(usage=usage))
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj",
            f"/CN={name}", cwd=folder)
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
            "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext",
            cwd=folder)


class TransportSecurity(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="carescore-tls-")
        cls.health_pb2, cls.reflection_pb2 = load_upstream_protos(cls.tmp)
        cls.certs = os.path.join(cls.tmp, "certs")
        os.makedirs(cls.certs)
        make_ca(cls.certs, "ca")
        make_leaf(cls.certs, "ca", "server", "serverAuth, clientAuth")
        make_leaf(cls.certs, "ca", "client", "clientAuth")
        # A client certificate from a CA the servers do not trust.
        make_ca(cls.certs, "other-ca")
        make_leaf(cls.certs, "other-ca", "stranger", "clientAuth")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def cert(self, name):
        return os.path.join(self.certs, name)

    def read(self, name):
        with open(self.cert(name), "rb") as f:
            return f.read()

    def tls_flags(self, client_ca=False):
        flags = ["--tls-cert", self.cert("server.pem"), "--tls-key", self.cert("server.key")]
        return flags + (["--tls-client-ca", self.cert("ca.pem")] if client_ca else [])

    def server(self, name, binary="carescored", extra=(), host="127.0.0.1"):
        server = harness.Server(BIN_DIR, os.path.join(self.tmp, name), binary, extra, host)
        self.addCleanup(server.stop)
        return server

    def cli(self, server, *args, tls=True, client_cert=None, timeout=30):
        command = [os.path.join(BIN_DIR, "carescore"), "--server", server.address,
                   "--timeout", str(timeout)]
        if tls:
            command += ["--tls-ca", self.cert("ca.pem")]
        if client_cert:
            command += ["--tls-cert", self.cert(f"{client_cert}.pem"),
                        "--tls-key", self.cert(f"{client_cert}.key")]
        # Every server here trusts the development key in its data folder.
        command += ["--token", server.token("tls-admin", "admin")]
        return subprocess.run(command + list(args), capture_output=True, text=True,
                              timeout=120, env=harness.clean_env())

    def cli_ok(self, server, *args, **kwargs):
        r = self.cli(server, *args, **kwargs)
        if r.returncode != 0:
            raise AssertionError(f"carescore {' '.join(args)} failed: {r.stderr}")
        return r.stdout

    def health(self, channel, service=""):
        check = channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=self.health_pb2.HealthCheckRequest.SerializeToString,
            response_deserializer=self.health_pb2.HealthCheckResponse.FromString)
        return check(self.health_pb2.HealthCheckRequest(service=service), timeout=20).status

    def reflection_services(self, channel):
        info = channel.stream_stream(
            "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
            request_serializer=self.reflection_pb2.ServerReflectionRequest.SerializeToString,
            response_deserializer=self.reflection_pb2.ServerReflectionResponse.FromString)
        replies = list(info(iter([self.reflection_pb2.ServerReflectionRequest(
            list_services="")]), timeout=20))
        return [s.name for s in replies[0].list_services_response.service]

    def tls_channel(self, address, client=None):
        credentials = grpc.ssl_channel_credentials(
            root_certificates=self.read("ca.pem"),
            private_key=self.read(f"{client}.key") if client else None,
            certificate_chain=self.read(f"{client}.pem") if client else None)
        return grpc.secure_channel(address, credentials)

    # --- TLS on the listener and the CLI's --tls-ca ---------------------

    def test_cli_over_tls_and_plaintext_client_refused(self):
        server = self.server("tls", extra=self.tls_flags()).start()
        self.cli_ok(server, "import", "las", f"{SAMPLES}/local_authorities.csv")
        listed = self.cli_ok(server, "las", "list", "--format", "csv")
        self.assertIn("372", listed)
        self.assertIn("Rotherham", listed)

        # A plaintext client gets no answer from the TLS listener.
        r = self.cli(server, "las", "list", tls=False)
        self.assertNotEqual(r.returncode, 0)
        with grpc.insecure_channel(server.address) as channel:
            with self.assertRaises(grpc.RpcError) as refused:
                self.health(channel)
            self.assertEqual(refused.exception.code(), grpc.StatusCode.UNAVAILABLE)
        # A client that trusts another CA does not accept the server.
        credentials = grpc.ssl_channel_credentials(root_certificates=self.read("other-ca.pem"))
        with grpc.secure_channel(server.address, credentials) as channel:
            with self.assertRaises(grpc.RpcError):
                self.health(channel)
        with self.tls_channel(server.address) as channel:
            self.assertEqual(self.health(channel), self.health_pb2.HealthCheckResponse.SERVING)

    # --- the loopback rule for plaintext --------------------------------

    def test_plaintext_on_a_non_loopback_address_is_refused(self):
        server = self.server("wildcard", host="0.0.0.0")
        r = subprocess.run(server.command(), capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--tls-cert", r.stderr)
        self.assertIn("not a loopback address", r.stderr)

    def test_insecure_plaintext_starts_with_a_warning(self):
        server = self.server("insecure", extra=["--insecure-plaintext"], host="0.0.0.0").start()
        with grpc.insecure_channel(server.address) as channel:
            self.assertEqual(self.health(channel), self.health_pb2.HealthCheckResponse.SERVING)
        log = server.read_log()
        self.assertIn('"warning"', log)
        self.assertIn("--insecure-plaintext", log)

    def test_plaintext_peer_off_loopback_is_refused(self):
        server = self.server("peer-refused", "carescore-benchmarks",
                             ["--indicators", "indicators.invalid:50051"])
        r = subprocess.run(server.command(), capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--peer-tls-ca", r.stderr)

    # --- mutual TLS --------------------------------------------------------

    def test_mutual_tls_requires_a_trusted_client_certificate(self):
        server = self.server("mtls", extra=self.tls_flags(client_ca=True)).start()
        r = self.cli(server, "las", "list")
        self.assertNotEqual(r.returncode, 0)
        r = self.cli(server, "las", "list", client_cert="stranger")
        self.assertNotEqual(r.returncode, 0)
        self.cli_ok(server, "import", "las", f"{SAMPLES}/local_authorities.csv",
                    client_cert="client")
        self.assertIn("372", self.cli_ok(server, "las", "list", client_cert="client"))
        with self.tls_channel(server.address) as channel:
            with self.assertRaises(grpc.RpcError):
                self.health(channel)
        with self.tls_channel(server.address, client="client") as channel:
            self.assertEqual(self.health(channel), self.health_pb2.HealthCheckResponse.SERVING)

    # --- a split deployment over TLS ------------------------------------

    def test_split_services_over_mutual_tls(self):
        indicators = self.server("split", "carescore-indicators",
                                 self.tls_flags(client_ca=True)).start()
        peer_tls = ["--peer-tls-ca", self.cert("ca.pem"),
                    "--peer-tls-cert", self.cert("client.pem"),
                    "--peer-tls-key", self.cert("client.key")]
        benchmarks = self.server("split", "carescore-benchmarks",
                                 ["--indicators", indicators.address, *self.tls_flags(),
                                  *peer_tls]).start()
        self.cli_ok(indicators, "import", "las", f"{ENGLAND}/local_authorities.csv",
                    client_cert="client")
        self.cli_ok(indicators, "import", "indicators", f"{ENGLAND}/indicators.csv",
                    client_cert="client")
        self.cli_ok(indicators, "import", "outturns", f"{ENGLAND}/outturns.csv",
                    client_cert="client")
        self.cli_ok(benchmarks, "import", "neighbours",
                    f"{ENGLAND}/statistical_neighbours_2025.csv", "--model", "2025")
        out = self.cli_ok(benchmarks, "benchmark", "--la", "372", "--code", "CareLeaverAcc",
                          "--year", "2024-25", "--format", "csv")
        self.assertIn("computed", out)

        # Without the peer flags, the benchmark service cannot reach it.
        plain = self.server("split-plain", "carescore-benchmarks",
                            ["--indicators", indicators.address, *self.tls_flags()]).start()
        # The benchmark service waits for its peer within the call's deadline
        # (wait_for_ready), then says which peer it could not reach.
        r = self.cli(plain, "benchmark", "--la", "372", "--code", "CareLeaverAcc",
                     "--year", "2024-25", timeout=5)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("indicator service", r.stderr)

    # --- the health-only port and reflection ----------------------------

    def test_health_listen_answers_plaintext_while_the_main_port_is_tls(self):
        health_port = free_port()
        server = self.server("health", extra=[*self.tls_flags(client_ca=True),
                                              "--health-listen", f"127.0.0.1:{health_port}"])
        server.start()
        serving = self.health_pb2.HealthCheckResponse.SERVING
        with grpc.insecure_channel(f"127.0.0.1:{health_port}") as channel:
            # As a probe does: the port is open before the main one, and says
            # SERVING once the main port is up.
            deadline = time.time() + 20
            while self.health(channel) != serving and time.time() < deadline:
                time.sleep(0.05)
            self.assertEqual(self.health(channel), serving)
            self.assertEqual(self.health(channel, "carescore.v1.ReportService"), serving)
            # Health alone: no reflection and none of the services there.
            with self.assertRaises(grpc.RpcError) as absent:
                self.reflection_services(channel)
            self.assertEqual(absent.exception.code(), grpc.StatusCode.UNIMPLEMENTED)
            las = channel.unary_unary("/carescore.v1.IndicatorService/ListLocalAuthorities")
            with self.assertRaises(grpc.RpcError) as absent:
                las(b"", timeout=20)
            self.assertEqual(absent.exception.code(), grpc.StatusCode.UNIMPLEMENTED)

            # Shutdown turns it NOT_SERVING before the port closes.
            watch = channel.unary_stream(
                "/grpc.health.v1.Health/Watch",
                request_serializer=self.health_pb2.HealthCheckRequest.SerializeToString,
                response_deserializer=self.health_pb2.HealthCheckResponse.FromString)
            updates = watch(self.health_pb2.HealthCheckRequest(), timeout=30)
            self.assertEqual(next(updates).status, serving)
            server.proc.send_signal(signal.SIGTERM)
            statuses = []
            try:
                for update in updates:
                    statuses.append(update.status)
            except grpc.RpcError:
                pass
            self.assertIn(self.health_pb2.HealthCheckResponse.NOT_SERVING, statuses)
        self.assertEqual(server.proc.wait(timeout=30), 0)
        with grpc.insecure_channel(server.address) as channel:
            with self.assertRaises(grpc.RpcError):
                self.health(channel)

    def test_reflection_defaults_and_switch(self):
        embedded = self.server("reflection-on").start()
        with grpc.insecure_channel(embedded.address) as channel:
            self.assertIn("carescore.v1.IndicatorService", self.reflection_services(channel))
        off = self.server("reflection-off", extra=["--no-reflection"]).start()
        with grpc.insecure_channel(off.address) as channel:
            with self.assertRaises(grpc.RpcError) as absent:
                self.reflection_services(channel)
            self.assertEqual(absent.exception.code(), grpc.StatusCode.UNIMPLEMENTED)
            self.assertEqual(self.health(channel), self.health_pb2.HealthCheckResponse.SERVING)
        service = self.server("reflection-service", "carescore-indicators").start()
        with grpc.insecure_channel(service.address) as channel:
            with self.assertRaises(grpc.RpcError) as absent:
                self.reflection_services(channel)
            self.assertEqual(absent.exception.code(), grpc.StatusCode.UNIMPLEMENTED)
        asked = self.server("reflection-asked", "carescore-indicators",
                            ["--reflection", *self.tls_flags()]).start()
        with self.tls_channel(asked.address) as channel:
            self.assertIn("carescore.v1.IndicatorService", self.reflection_services(channel))


if __name__ == "__main__":
    unittest.main(verbosity=2)
