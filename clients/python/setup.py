"""Builds the package with its generated code: protoc turns protos/ into
carescore/v1/*_pb2.py and *_pb2_grpc.py (grpc_python_plugin, from Debian's
protobuf-compiler-grpc) in the build folder, so nothing generated is kept in
the source tree. Where the protos are: $CARESCORE_PROTOS, else ../../protos.

google/rpc (status, error details) is generated too, because Debian has no
python3-googleapis-common-protos, but into carescore/_rpc, never as a
top-level google.rpc package that could clash with another copy. The
grpc/health protos are not generated: a top-level `grpc` package would
shadow grpcio.
"""

import glob
import os
import shutil
import subprocess
import tempfile

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN = os.environ.get("GRPC_PYTHON_PLUGIN", shutil.which("grpc_python_plugin") or
                        "/usr/bin/grpc_python_plugin")


def protos_dir():
    path = os.environ.get("CARESCORE_PROTOS", os.path.join(HERE, "..", "..", "protos"))
    if not os.path.isfile(os.path.join(path, "carescore", "v1", "reports.proto")):
        raise RuntimeError(f"no carescore protos in {path}: set CARESCORE_PROTOS")
    return os.path.abspath(path)


def protoc(*args):
    command = ["protoc", *args]
    if os.path.isdir("/usr/include/google/protobuf"):
        command[1:1] = ["-I", "/usr/include"]
    subprocess.run(command, check=True)


def generate(protos, out):
    """Writes carescore/v1 and carescore/_rpc under `out`."""
    names = sorted(os.path.relpath(p, protos)
                   for p in glob.glob(os.path.join(protos, "carescore", "v1", "*.proto")))
    protoc("-I", protos, f"--python_out={out}", f"--grpc_python_out={out}",
           f"--plugin=protoc-gen-grpc_python={PLUGIN}", *names)
    open(os.path.join(out, "carescore", "v1", "__init__.py"), "w").close()

    rpc = os.path.join(out, "carescore", "_rpc")
    os.makedirs(rpc, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        protoc("-I", protos, f"--python_out={tmp}",
               "google/rpc/status.proto", "google/rpc/error_details.proto")
        for name in ("status_pb2.py", "error_details_pb2.py"):
            shutil.move(os.path.join(tmp, "google", "rpc", name), os.path.join(rpc, name))
    open(os.path.join(rpc, "__init__.py"), "w").close()


class BuildWithProtos(build_py):
    def run(self):
        super().run()
        generate(protos_dir(), self.build_lib)


setup(cmdclass={"build_py": BuildWithProtos})
