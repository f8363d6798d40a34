#!/usr/bin/python3
"""Writes docs/api.md, the API reference, from protos/carescore/v1/*.proto.

Everything the reference says about a service, RPC, message, field, enum or
error reason is the protos' own comments, read from a descriptor set that
protoc writes with --include_source_info; the rest (how to connect, the
rules for errors, paging, request ids and etags) is the prose below, with
its tables filled from the descriptors. The worked examples come from one
table (EXAMPLES: service, method, request fields) and one template per
client language, so every service has one in each language and an example
naming a method or field that no longer exists stops the generator.

Usage:
  scripts/gen_api_docs.py [--protos DIR] [--protoc PATH] [--out FILE]
  scripts/gen_api_docs.py --check FILE   # exit 1 if FILE is not what the protos make

--check also runs the Node.js and Go examples through `node --check` and
`gofmt -l` where those are installed (the Python ones are compiled always).
The examples are run against a real server by tests/docs/api_examples_test.py.
"""

import argparse
import difflib
import glob
import os
import re
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "carescore.v1"
REGENERATE = "/usr/bin/python3 scripts/gen_api_docs.py  (or: cmake --build <build dir> --target api_docs)"

# The file options every carescore/v1 proto carries (java_outer_classname is
# the file's name in CamelCase + "Proto"). The generator refuses a file
# without them: the examples and the client packages rely on them, and buf
# breaking cannot guard them until the released image has them too.
GO_IMPORT = "carescore.gov.uk/carescore/clients/go/carescorev1"
GO_NAME = "carescorev1"
EXPECTED_OPTIONS = {
    "go_package": f"{GO_IMPORT};{GO_NAME}",
    "java_package": "uk.gov.carescore.v1",
    "java_multiple_files": True,
    "csharp_namespace": "Carescore.V1",
    "php_namespace": "Carescore\\V1",
    "ruby_package": "Carescore::V1",
    "objc_class_prefix": "CSX",
}

FDP = descriptor_pb2.FieldDescriptorProto
SCALARS = {
    FDP.TYPE_DOUBLE: "double", FDP.TYPE_FLOAT: "float", FDP.TYPE_INT64: "int64",
    FDP.TYPE_UINT64: "uint64", FDP.TYPE_INT32: "int32", FDP.TYPE_FIXED64: "fixed64",
    FDP.TYPE_FIXED32: "fixed32", FDP.TYPE_BOOL: "bool", FDP.TYPE_STRING: "string",
    FDP.TYPE_BYTES: "bytes", FDP.TYPE_UINT32: "uint32", FDP.TYPE_SFIXED32: "sfixed32",
    FDP.TYPE_SFIXED64: "sfixed64", FDP.TYPE_SINT32: "sint32", FDP.TYPE_SINT64: "sint64",
}
INTEGERS = {FDP.TYPE_INT64, FDP.TYPE_UINT64, FDP.TYPE_INT32, FDP.TYPE_FIXED64,
            FDP.TYPE_FIXED32, FDP.TYPE_UINT32, FDP.TYPE_SFIXED32, FDP.TYPE_SFIXED64,
            FDP.TYPE_SINT32, FDP.TYPE_SINT64}


class Enum:
    """An enum value in an example's request: Enum("REPORT_FORMAT_HTML")."""

    def __init__(self, name):
        self.name = name


# One worked example per service, in the order the reference lists the
# services: (service, method, request fields, what it shows). Values are
# str, int, bool or Enum; a server-streaming method whose response has a
# bytes field `data` is written to OUTPUT_FILES[service].
EXAMPLES = [
    ("IndicatorService", "GetLocalAuthority", {"la_code": "372"},
     "Reads one local authority (Rotherham, DfE code 372)."),
    ("BenchmarkService", "GetBenchmark",
     {"la_code": "372", "indicator_code": "10.4", "financial_year": "2016-17"},
     "Reads the comparators of indicator 10.4 for Rotherham in 2016-17."),
    ("EscalationService", "ListEscalations",
     {"la_code": "372", "status": Enum("ESCALATION_STATUS_OPEN"), "page_size": 50},
     "Lists the first 50 open escalations of Rotherham (send next_page_token "
     "back as page_token for the next 50)."),
    ("ReportService", "GetScorecard", {"la_code": "372", "month": "2018-10"},
     "Reads Rotherham's scorecard for October 2018."),
    ("AuditService", "VerifyAuditLog", {}, "Checks the audit log's hash chain (admin role)."),
    ("AdminService", "Backup", {},
     "Streams a backup archive into backup.tar (admin role)."),
    ("ServerInfoService", "GetServerInfo", {},
     "Asks the server for its version, git commit and hosted services."),
]
OUTPUT_FILES = {"AdminService": "backup.tar"}


def read_descriptors(protos, protoc):
    files = sorted(os.path.relpath(p, protos)
                   for p in glob.glob(os.path.join(protos, "carescore", "v1", "*.proto")))
    if not files:
        sys.exit(f"gen_api_docs: no protos in {protos}/carescore/v1")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.binpb")
        subprocess.run([protoc, "-I", protos, "--include_source_info",
                        f"--descriptor_set_out={out}", *files], check=True)
        fds = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as f:
            fds.ParseFromString(f.read())
    return [f for f in fds.file if f.package == PACKAGE]


def clean_comment(text):
    """A comment as written: one leading space per line dropped, ends trimmed."""
    lines = [l[1:] if l.startswith(" ") else l for l in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(l.rstrip() for l in lines)


class Api:
    """The descriptors, indexed: comments by path, types by full name."""

    def __init__(self, files):
        self.files = files
        self.comments = {}  # (file name, path tuple) -> (leading+trailing, detached list)
        self.messages = {}  # ".carescore.v1.Foo" -> (file, DescriptorProto, path)
        self.enums = {}
        self.services = {}  # "FooService" -> (file, ServiceDescriptorProto, path)
        for f in files:
            for loc in f.source_code_info.location:
                text = "\n\n".join(clean_comment(c) for c in
                                   (loc.leading_comments, loc.trailing_comments) if c.strip())
                detached = [clean_comment(c) for c in loc.leading_detached_comments]
                self.comments[(f.name, tuple(loc.path))] = (text, detached)
            for i, m in enumerate(f.message_type):
                self._index_message(f, m, f".{f.package}", (4, i))
            for i, e in enumerate(f.enum_type):
                self.enums[f".{f.package}.{e.name}"] = (f, e, (5, i))
            for i, s in enumerate(f.service):
                if s.name in self.services:
                    sys.exit(f"gen_api_docs: service {s.name} defined twice")
                self.services[s.name] = (f, s, (6, i))

    def _index_message(self, f, m, scope, path):
        name = f"{scope}.{m.name}"
        self.messages[name] = (f, m, path)
        for i, n in enumerate(m.nested_type):
            self._index_message(f, n, name, path + (3, i))
        for i, e in enumerate(m.enum_type):
            self.enums[f"{name}.{e.name}"] = (f, e, path + (4, i))

    def comment(self, f, path):
        return self.comments.get((f.name, tuple(path)), ("", []))[0]

    def detached(self, f, path):
        return self.comments.get((f.name, tuple(path)), ("", []))[1]

    def message(self, type_name):
        return self.messages[type_name][1]


def anchor(full_name):
    return full_name.lstrip(".")


def short(full_name):
    name = full_name.lstrip(".")
    return name[len(PACKAGE) + 1:] if name.startswith(PACKAGE + ".") else name


def escape_text(text):
    """Markdown-safe prose: `<` outside code spans would start HTML."""
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(p if p.startswith("`") else p.replace("<", "&lt;") for p in parts)


def block(text):
    """A comment as paragraphs of Markdown."""
    return escape_text(text)


def cell(text):
    """A comment in one table cell: lines joined, paragraphs by <br>."""
    paragraphs = [" ".join(l.strip() for l in p.split("\n")) for p in text.split("\n\n")]
    return escape_text("<br>".join(p for p in paragraphs if p)).replace("|", "\\|")


def type_link(api, type_name):
    if type_name.startswith(f".{PACKAGE}."):
        return f"[{short(type_name)}](#{anchor(type_name)})"
    return f"`{type_name.lstrip('.')}`"


def field_type(api, field):
    if field.type in (FDP.TYPE_MESSAGE, FDP.TYPE_GROUP):
        entry = api.messages.get(field.type_name)
        if entry and entry[1].options.map_entry:
            key, value = entry[1].field
            return f"map&lt;{field_type(api, key)}, {field_type(api, value)}&gt;"
        base = type_link(api, field.type_name)
    elif field.type == FDP.TYPE_ENUM:
        base = type_link(api, field.type_name)
    else:
        base = SCALARS[field.type]
    if field.label == FDP.LABEL_REPEATED and not (
            field.type == FDP.TYPE_MESSAGE and api.messages.get(field.type_name)
            and api.messages[field.type_name][1].options.map_entry):
        return f"repeated {base}"
    if field.proto3_optional:
        return f"optional {base}"
    return base


def go_camel(name):
    """protoc-gen-go's name for a proto identifier (la_code -> LaCode)."""
    out, upper = [], True
    for i, c in enumerate(name):
        if c == "_" and i + 1 < len(name) and name[i + 1].islower():
            upper = True
            continue
        out.append(c.upper() if upper else c)
        upper = False
    return "".join(out)


def module_of(proto_file):
    return os.path.splitext(os.path.basename(proto_file))[0]


class Example:
    """One example, checked against the descriptors."""

    def __init__(self, api, service, method, fields, note):
        if service not in api.services:
            sys.exit(f"gen_api_docs: example for unknown service {service}")
        self.file, svc, _ = api.services[service]
        rpc = next((m for m in svc.method if m.name == method), None)
        if rpc is None:
            sys.exit(f"gen_api_docs: example names {service}.{method}, which does not exist")
        if rpc.client_streaming:
            sys.exit(f"gen_api_docs: example {service}.{method} streams requests; pick another")
        self.service, self.method, self.note = service, method, note
        self.server_streaming = rpc.server_streaming
        self.request_type, self.response_type = rpc.input_type, rpc.output_type
        self.request_file = api.messages[rpc.input_type][0].name
        self.response_file = api.messages[rpc.output_type][0].name
        self.output_file = OUTPUT_FILES.get(service)
        if self.output_file:
            response = api.message(rpc.output_type)
            if not any(f.name == "data" and f.type == FDP.TYPE_BYTES for f in response.field):
                sys.exit(f"gen_api_docs: {service}.{method} has no bytes field `data` to write")
        request = api.message(rpc.input_type)
        by_name = {f.name: f for f in request.field}
        self.fields = []  # (FieldDescriptorProto, value, enum file or None)
        for name, value in fields.items():
            f = by_name.get(name)
            if f is None or f.label == FDP.LABEL_REPEATED or f.proto3_optional:
                sys.exit(f"gen_api_docs: example {service}.{method}: no plain singular field {name}"
                         " (repeated and optional fields are not supported in examples)")
            enum_file = None
            if isinstance(value, Enum):
                entry = api.enums.get(f.type_name) if f.type == FDP.TYPE_ENUM else None
                if entry is None or value.name not in [v.name for v in entry[1].value]:
                    sys.exit(f"gen_api_docs: example {service}.{method}: {name} is not {value.name}")
                if entry[2][0] != 5:
                    sys.exit(f"gen_api_docs: example {service}.{method}: nested enums unsupported")
                enum_file = entry[0].name
            elif isinstance(value, bool):
                ok = f.type == FDP.TYPE_BOOL
            elif isinstance(value, int):
                ok = f.type in INTEGERS
            else:
                ok = f.type == FDP.TYPE_STRING
            if enum_file is None and not ok:
                sys.exit(f"gen_api_docs: example {service}.{method}: {name} has another type")
            self.fields.append((f, value, enum_file,
                                entry[1].name if enum_file else None))
        # Go sets a oneof member through its wrapper type.
        self.oneofs = {f.name: request.oneof_decl[f.oneof_index].name
                       for f, _, _, _ in self.fields if f.HasField("oneof_index")}

    def files(self):
        """Proto files whose generated code the example uses, in first-use order."""
        out = []
        for name in [self.file.name, self.request_file, self.response_file] + [
                e for _, _, e, _ in self.fields if e]:
            if name not in out:
                out.append(name)
        return out


def py_value(ex, value, enum_file):
    if isinstance(value, Enum):
        return f"{module_of(enum_file)}_pb2.{value.name}"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def python_example(ex):
    svc_module = module_of(ex.file.name)
    imports = sorted({f"{module_of(ex.request_file)}_pb2", f"{svc_module}_pb2_grpc"} |
                     {f"{module_of(e)}_pb2" for _, _, e, _ in ex.fields if e})
    req_module = module_of(ex.request_file)
    args = ", ".join(f"{f.name}={py_value(ex, v, e)}" for f, v, e, _ in ex.fields)
    call = f"stub.{ex.method}(\n    {req_module}_pb2.{short(ex.request_type)}({args}),\n" \
           f"    metadata=metadata,\n    timeout=30,  # seconds: the call's deadline\n)"
    lines = [
        "import os",
        "",
        "import grpc",
        f"from carescore.v1 import {', '.join(imports)}",
        "",
        'address = os.environ.get("CARESCORE_SERVER", "127.0.0.1:50051")',
        'ca_file = os.environ.get("CARESCORE_TLS_CA")',
        "if ca_file:",
        '    with open(ca_file, "rb") as f:',
        "        channel = grpc.secure_channel(address, grpc.ssl_channel_credentials(f.read()))",
        "else:",
        "    channel = grpc.insecure_channel(address)  # a plaintext server listens on loopback only",
        'metadata = [("authorization", "Bearer " + os.environ["CARESCORE_TOKEN"])]',
        f"stub = {svc_module}_pb2_grpc.{ex.service}Stub(channel)",
        "",
        "try:",
    ]
    if ex.output_file:
        lines += [f'    with open("{ex.output_file}", "wb") as out:',
                  f"        for response in {indent(call, 8)}:",
                  "            out.write(response.data)"]
    elif ex.server_streaming:
        lines += [f"    for response in {indent(call, 4)}:", "        print(response)"]
    else:
        lines += [f"    response = {indent(call, 4)}", "    print(response)"]
    lines += [
        "except grpc.RpcError as e:",
        "    # The ErrorInfo reason is in e.trailing_metadata()'s grpc-status-details-bin",
        "    # (see Errors); the Python client package decodes it for you.",
        '    raise SystemExit(f"{e.code().name}: {e.details()}")',
    ]
    return "\n".join(lines)


def indent(text, n):
    return text.replace("\n", "\n" + " " * n)


def js_value(value):
    if isinstance(value, Enum):
        return f"'{value.name}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def node_example(ex):
    # keepCase: true, so proto-loader takes the fields by their proto names.
    request = "{" + ", ".join(f"{f.name}: {js_value(v)}" for f, v, _, _ in ex.fields) + "}"
    lines = [
        "const fs = require('fs');",
        "const grpc = require('@grpc/grpc-js');",
        "const protoLoader = require('@grpc/proto-loader');",
        "",
        "const protos = process.env.CARESCORE_PROTOS || 'protos';  // this repository's protos/",
        "const definition = protoLoader.loadSync('" + ex.file.name + "', {",
        "  includeDirs: [protos], keepCase: true, longs: String, enums: String, defaults: true,",
        "  oneofs: true,",
        "});",
        "const v1 = grpc.loadPackageDefinition(definition).carescore.v1;",
        "const address = process.env.CARESCORE_SERVER || '127.0.0.1:50051';",
        "const credentials = process.env.CARESCORE_TLS_CA",
        "  ? grpc.credentials.createSsl(fs.readFileSync(process.env.CARESCORE_TLS_CA))",
        "  : grpc.credentials.createInsecure();  // a plaintext server listens on loopback only",
        f"const client = new v1.{ex.service}(address, credentials);",
        "const metadata = new grpc.Metadata();",
        "metadata.set('authorization', `Bearer ${process.env.CARESCORE_TOKEN}`);",
        "const deadline = new Date(Date.now() + 30000);",
        "",
    ]
    if ex.server_streaming:
        lines.append(f"const call = client.{ex.method}({request}, metadata, {{deadline}});")
        if ex.output_file:
            lines += [f"const out = fs.createWriteStream('{ex.output_file}');",
                      "call.on('data', (response) => out.write(response.data));",
                      "call.on('end', () => out.end());"]
        else:
            lines.append("call.on('data', (response) => console.log(JSON.stringify(response)));")
        lines += ["call.on('error', (err) => {",
                  "  console.error(`${grpc.status[err.code]}: ${err.details}`);",
                  "  process.exitCode = 1;",
                  "});"]
    else:
        lines += [f"client.{ex.method}({request}, metadata, {{deadline}}, (err, response) => {{",
                  "  if (err) {",
                  "    // err.metadata holds grpc-status-details-bin (the ErrorInfo reason).",
                  "    console.error(`${grpc.status[err.code]}: ${err.details}`);",
                  "    process.exitCode = 1;",
                  "    return;",
                  "  }",
                  "  console.log(JSON.stringify(response, null, 2));",
                  "});"]
    return "\n".join(lines)


def go_value(value, enum_type):
    if isinstance(value, Enum):
        return f"{GO_NAME}.{enum_type}_{value.name}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def go_example(ex):
    fields = []
    for f, v, _, t in ex.fields:
        if f.name in ex.oneofs:
            wrapper = f"{GO_NAME}.{short(ex.request_type)}_{go_camel(f.name)}"
            fields.append((go_camel(ex.oneofs[f.name]),
                           f"&{wrapper}{{{go_camel(f.name)}: {go_value(v, t)}}}"))
        else:
            fields.append((go_camel(f.name), go_value(v, t)))
    width = max((len(n) for n, _ in fields), default=0)
    if fields:
        request = f"&{GO_NAME}.{short(ex.request_type)}{{\n" + "".join(
            f"\t\t{(n + ':').ljust(width + 1)} {v},\n" for n, v in fields) + "\t}"
    else:
        request = f"&{GO_NAME}.{short(ex.request_type)}{{}}"
    imports = ["context", "crypto/tls", "crypto/x509", "fmt"]
    if ex.server_streaming:
        imports.append("io")
    imports += ["log", "os", "time"]
    lines = ["package main", "", "import ("]
    lines += [f'\t"{i}"' for i in imports]
    lines += ["",
              '\t"google.golang.org/grpc"',
              '\t"google.golang.org/grpc/credentials"',
              '\t"google.golang.org/grpc/metadata"',
              '\t"google.golang.org/grpc/status"']
    if not ex.output_file:
        lines.append('\t"google.golang.org/protobuf/encoding/protojson"')
    lines.append('\t"google.golang.org/protobuf/proto"')
    lines += ["",
              f'\t{GO_NAME} "{GO_IMPORT}"',
              ")",
              "",
              "func main() {",
              '\taddress := os.Getenv("CARESCORE_SERVER")',
              '\tif address == "" {',
              '\t\taddress = "127.0.0.1:50051"',
              "\t}",
              "\t// A plaintext server listens on loopback only. (grpc-go 1.34 and later also",
              "\t// offer grpc.WithTransportCredentials(insecure.NewCredentials()).)",
              "\tsecurity := grpc.WithInsecure()",
              '\tif caFile := os.Getenv("CARESCORE_TLS_CA"); caFile != "" {',
              "\t\tpem, err := os.ReadFile(caFile)",
              "\t\tif err != nil {",
              "\t\t\tlog.Fatal(err)",
              "\t\t}",
              "\t\tpool := x509.NewCertPool()",
              "\t\tpool.AppendCertsFromPEM(pem)",
              "\t\tsecurity = grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: pool}))",
              "\t}",
              "\tconn, err := grpc.Dial(address, security, grpc.WithDefaultCallOptions(grpc.ForceCodec(codec{})))",
              "\tif err != nil {",
              "\t\tlog.Fatal(err)",
              "\t}",
              "\tdefer conn.Close()",
              "",
              "\tctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)",
              "\tdefer cancel()",
              '\tctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+os.Getenv("CARESCORE_TOKEN"))',
              f"\tclient := {GO_NAME}.New{ex.service}Client(conn)"]
    fail = ["\tif err != nil {",
            "\t\t// status.Convert(err).Details() holds the *errdetails.ErrorInfo (the reason).",
            "\t\tst := status.Convert(err)",
            '\t\tlog.Fatalf("%s: %s", st.Code(), st.Message())',
            "\t}"]
    if ex.server_streaming:
        lines.append(f"\tstream, err := client.{ex.method}(ctx, {request})")
        lines += fail
        if ex.output_file:
            lines += [f'\tout, err := os.Create("{ex.output_file}")',
                      "\tif err != nil {",
                      "\t\tlog.Fatal(err)",
                      "\t}",
                      "\tdefer out.Close()"]
        lines += ["\tfor {",
                  "\t\tresponse, err := stream.Recv()",
                  "\t\tif err == io.EOF {",
                  "\t\t\tbreak",
                  "\t\t}"]
        lines += ["\t" + l for l in fail]
        if ex.output_file:
            lines += ["\t\tif _, err := out.Write(response.Data); err != nil {",
                      "\t\t\tlog.Fatal(err)",
                      "\t\t}"]
        else:
            lines.append("\t\tlog.Println(protojson.Format(response))")
        lines.append("\t}")
    else:
        lines.append(f"\tresponse, err := client.{ex.method}(ctx, {request})")
        lines += fail
        lines.append("\tlog.Println(protojson.Format(response))")
    lines.append("}")
    lines += ["",
              "// codec marshals with google.golang.org/protobuf. Debian 12's grpc-go 1.33",
              "// marshals with github.com/golang/protobuf 1.3, which cannot handle",
              "// protoc-gen-go's messages; with current grpc-go it is not needed.",
              "type codec struct{}",
              "",
              "func (codec) Marshal(v interface{}) ([]byte, error) {",
              "\tm, ok := v.(proto.Message)",
              "\tif !ok {",
              '\t\treturn nil, fmt.Errorf("%T is not a protobuf message", v)',
              "\t}",
              "\treturn proto.Marshal(m)",
              "}",
              "",
              "func (codec) Unmarshal(data []byte, v interface{}) error {",
              "\tm, ok := v.(proto.Message)",
              "\tif !ok {",
              '\t\treturn fmt.Errorf("%T is not a protobuf message", v)',
              "\t}",
              "\treturn proto.Unmarshal(data, m)",
              "}",
              "",
              'func (codec) Name() string { return "proto" }']
    return "\n".join(lines)


def cpp_value(value):
    if isinstance(value, Enum):
        return f"carescore::v1::{value.name}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cpp_example(ex):
    headers = sorted({f"carescore/v1/{module_of(f)}.pb.h" for f in ex.files()} - {
        f"carescore/v1/{module_of(ex.file.name)}.pb.h"} | {
        f"carescore/v1/{module_of(ex.file.name)}.grpc.pb.h"})
    lines = ["#include <chrono>", "#include <cstdlib>", "#include <fstream>", "#include <iostream>",
             "#include <iterator>", "#include <memory>", "#include <string>", "",
              "#include <grpcpp/grpcpp.h>", ""]
    lines += [f'#include "{h}"' for h in headers]
    lines += ["",
              "int main() {",
              '  const char* address = std::getenv("CARESCORE_SERVER");',
              '  const char* ca_file = std::getenv("CARESCORE_TLS_CA");',
              '  const char* token = std::getenv("CARESCORE_TOKEN");',
              "  // A plaintext server listens on loopback only.",
              "  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();",
              "  if (ca_file != nullptr) {",
              "    std::ifstream in(ca_file);",
              "    grpc::SslCredentialsOptions options;",
              "    options.pem_root_certs.assign(std::istreambuf_iterator<char>(in), {});",
              "    credentials = grpc::SslCredentials(options);",
              "  }",
              "  auto channel = grpc::CreateChannel(address ? address : \"127.0.0.1:50051\", credentials);",
              f"  auto stub = carescore::v1::{ex.service}::NewStub(channel);",
              "",
              "  grpc::ClientContext context;",
              '  context.AddMetadata("authorization", std::string("Bearer ") + (token ? token : ""));',
              "  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));",
              f"  carescore::v1::{short(ex.request_type)} request;"]
    lines += [f"  request.set_{f.name.lower()}({cpp_value(v)});" for f, v, _, _ in ex.fields]
    if ex.server_streaming:
        lines += [f"  auto reader = stub->{ex.method}(&context, request);",
                  f"  carescore::v1::{short(ex.response_type)} response;"]
        if ex.output_file:
            lines += [f'  std::ofstream out("{ex.output_file}", std::ios::binary);',
                      "  while (reader->Read(&response)) out << response.data();"]
        else:
            lines.append("  while (reader->Read(&response)) std::cout << response.DebugString();")
        lines.append("  grpc::Status status = reader->Finish();")
    else:
        lines += [f"  carescore::v1::{short(ex.response_type)} response;",
                  f"  grpc::Status status = stub->{ex.method}(&context, request, &response);"]
    lines += ["  if (!status.ok()) {",
              "    // status.error_details() is a serialized google.rpc.Status with the ErrorInfo.",
              '    std::cerr << status.error_code() << ": " << status.error_message() << "\\n";',
              "    return 1;",
              "  }"]
    if not ex.server_streaming:
        lines.append("  std::cout << response.DebugString();")
    lines += ["  return 0;", "}"]
    return "\n".join(lines)


LANGUAGES = [
    ("Python", "python", python_example, "clients/python/README.md"),
    ("Node.js", "js", node_example, "clients/node/README.md"),
    ("Go", "go", go_example, "clients/go/README.md"),
    ("C++", "cpp", cpp_example, "clients/cpp/README.md"),
]


def check_python_syntax(ex, code):
    try:
        compile(code, f"<example {ex.service}.{ex.method}>", "exec")
    except SyntaxError as e:
        sys.exit(f"gen_api_docs: the Python example for {ex.service} does not parse: {e}")


def check_example_syntax(text):
    """Problems with the Node.js and Go examples in `text` (node --check, gofmt),
    as messages; a tool that is not installed is skipped."""
    problems = []
    sections = re.split(r"(?m)^### Example: ", text)[1:]
    with tempfile.TemporaryDirectory() as tmp:
        for section in sections:
            name = section.split("\n", 1)[0].strip()
            for lang, code in re.findall(r"```(js|go)\n(.*?)```", section, re.S):
                path = os.path.join(tmp, f"{name.replace('.', '_')}.{lang}")
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(code)
                tool = ["node", "--check", path] if lang == "js" else ["gofmt", "-l", path]
                try:
                    run = subprocess.run(tool, capture_output=True, text=True)
                except FileNotFoundError:
                    continue
                if run.returncode != 0 or (lang == "go" and run.stdout.strip()):
                    problems.append(f"the {lang} example {name} fails `{tool[0]}`: "
                                    f"{(run.stderr or 'not gofmt-formatted').strip()}")
    return problems


def methods_of(api):
    """(service name, file, ServiceDescriptorProto, path, method, method path) for every RPC."""
    for name, (f, svc, path) in api.services.items():
        for j, m in enumerate(svc.method):
            yield name, f, svc, path, m, path + (2, j)


def field_named(message, name):
    return next((f for f in message.field if f.name == name), None)


def render(api):
    out = []
    w = out.append
    examples = [Example(api, *e) for e in EXAMPLES]
    missing = sorted(set(api.services) - {e.service for e in examples})
    if missing:
        sys.exit("gen_api_docs: add a worked example (EXAMPLES) for " + ", ".join(missing))
    service_order = [e.service for e in examples]

    w("# carescore API reference (`carescore.v1`)")
    w("")
    w("<!-- Generated by scripts/gen_api_docs.py from protos/carescore/v1/*.proto: do not")
    w(f"     edit. Regenerate with: {REGENERATE} -->")
    w("")
    w("The carescore services speak gRPC (HTTP/2, protobuf). Their contract is the")
    w("protos in [`protos/carescore/v1/`](../protos/carescore/v1/); this page is made from")
    w("them and their comments by `scripts/gen_api_docs.py` whenever the build runs the")
    w("`api_docs` target, and the `lint.api_docs` test fails when it is out of date.")
    w("")
    w("- [Connecting](#connecting)")
    w("- [Errors](#errors) and the [error reasons](#error-reasons)")
    w("- [Paging](#paging)")
    w("- [Safe retries: request_id](#safe-retries-request_id) and [etags](#etags)")
    w("- Services: " + ", ".join(f"[{s}](#{anchor(PACKAGE + '.' + s)})" for s in service_order))
    w("- [Messages and enums](#messages-and-enums), by file: " + ", ".join(
        f"[{f.name.split('/')[-1]}](#{file_anchor(f)})" for f in api.files))
    w("")

    render_connecting(api, w)
    render_errors(api, w)
    render_paging(api, w)
    render_idempotency(api, w)
    for ex in examples:
        render_service(api, w, ex)
    w("## Messages and enums")
    w("")
    for f in api.files:
        render_file(api, w, f)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def json_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return '"' + v.replace("\\", "\\\\") + '"'


def file_anchor(f):
    return "file-" + re.sub(r"[^a-z0-9]+", "-", f.name.lower()).strip("-")


def render_connecting(api, w):
    w("## Connecting")
    w("")
    w("- **Address.** `carescored` serves every service on one address (default")
    w("  `127.0.0.1:50051`, `--listen HOST:PORT`); the split deployment serves each")
    w("  service from its own binary. `ServerInfoService.GetServerInfo` says which")
    w("  services an address hosts.")
    w("- **Transport.** TLS when the server is given `--tls-cert`/`--tls-key`: verify it")
    w("  against your CA file. Without a certificate a server listens on loopback only,")
    w("  in plaintext. The examples use TLS when `CARESCORE_TLS_CA` names a CA file.")
    w("- **Token.** Every call sends a bearer token as call metadata:")
    w("  `authorization: Bearer <token>` (a JWT; `carescore token` mints one with the")
    w("  development key). Which roles may call an RPC, and for which local authorities,")
    w("  is said on each service and RPC; a token without them gets PERMISSION_DENIED")
    w("  (reason ROLE_NOT_ALLOWED or LA_NOT_ALLOWED), a missing or bad token")
    w("  UNAUTHENTICATED (reason TOKEN_MISSING, TOKEN_EXPIRED, ...).")
    w("- **Deadlines.** Set one on every call. The server stops working on a call whose")
    w("  deadline has passed or that the caller cancelled, and the calls it makes to other")
    w("  services on its behalf carry what is left of it.")
    w("- **Retries.** UNAVAILABLE may be retried (with backoff). A write may be retried")
    w("  safely only with the same `request_id` (see [Safe retries](#safe-retries-request_id)).")
    w("- **Formats.** A local authority is its three-digit DfE code (`\"372\"`, Rotherham);")
    w("  a month is `\"YYYY-MM\"`; a financial year (April to March) is `\"YYYY-YY\"`")
    w("  (`\"2018-19\"`); a date is `\"YYYY-MM-DD\"`; times are `google.protobuf.Timestamp`")
    w("  (UTC). int64 fields are JSON strings in proto3 JSON (and with proto-loader's")
    w("  `longs: String`).")
    w("")
    w("### Generated code")
    w("")
    w("Generate stubs from `protos/` (which also holds the `google/rpc` and")
    w("`grpc/health` protos it imports), or use the client packages, which wrap these")
    w("stubs with TLS, the token, deadlines and decoded errors: see")
    w(", ".join(f"[{path}](../{path})" for _, _, _, path in LANGUAGES) + ".")
    w("")
    w("| Language | Generate | Use |")
    w("|---|---|---|")
    w("| Python | `protoc -I protos --python_out=gen --grpc_python_out=gen "
      "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin protos/carescore/v1/*.proto` "
      "(do not generate `grpc/health`: a top-level `grpc` package would hide grpcio; "
      "`google/rpc` comes with googleapis-common-protos) | `from carescore.v1 import "
      "reports_pb2, reports_pb2_grpc` |")
    w("| Node.js | nothing: `@grpc/proto-loader` loads the `.proto` files at run time "
      "(`proto-loader-gen-types` writes TypeScript types) | `grpc.loadPackageDefinition(...)"
      ".carescore.v1` |")
    w(f"| Go | `protoc -I protos --go_out=. --go_opt=module=carescore.gov.uk/carescore/clients/go "
      "--go-grpc_out=. --go-grpc_opt=module=carescore.gov.uk/carescore/clients/go "
      "protos/carescore/v1/*.proto` (use `google.golang.org/genproto/googleapis/rpc` for "
      "`google/rpc`: never generate a second copy) | "
      f"`import {GO_NAME} \"{GO_IMPORT}\"` |")
    w("| C++ | `protobuf_generate` in CMake, as `protos/CMakeLists.txt` does (library "
      "`carescore_protos`) | `#include \"carescore/v1/reports.grpc.pb.h\"`, namespace "
      "`carescore::v1` |")
    w("")
    w("Every file sets the options each generator needs:")
    w("")
    for name in EXPECTED_OPTIONS:
        v = getattr(api.files[0].options, name)
        w(f"- `option {name} = {json_value(v)};`")
    w("- `option java_outer_classname` is the file's name and `Proto`: " + ", ".join(
        f"`{f.options.java_outer_classname}` ({f.name.split('/')[-1]})" for f in api.files) + ".")
    w("")


def render_errors(api, w):
    reason = api.enums.get(f".{PACKAGE}.ErrorReason")
    w("## Errors")
    w("")
    w("A failed call ends with a canonical gRPC status code and a message for people.")
    w("For programs, the status details (`grpc-status-details-bin` trailer, a")
    w("serialized `google.rpc.Status`) carry a `google.rpc.ErrorInfo` with domain")
    w("`carescore.gov.uk` and a stable `reason`, and field violations also a")
    w("`google.rpc.BadRequest`. Branch on the code and the reason, never on the message.")
    w("Each RPC below names the codes it returns.")
    w("")
    w("### Error reasons")
    w("")
    if reason is None:
        w("(No `ErrorReason` enum in the protos.)")
        w("")
        return
    f, e, path = reason
    intro = api.comment(f, path)
    if intro:
        w(block(intro))
        w("")
    w("| Reason | Number | Meaning |")
    w("|---|---|---|")
    for i, v in enumerate(e.value):
        vpath = path + (2, i)
        for d in api.detached(f, vpath):
            heading = d.strip().strip("-").strip()
            if heading:
                w(f"| **{cell(heading)}** | | |")
        w(f"| `{v.name}` | {v.number} | {cell(api.comment(f, vpath))} |")
    w("")


def render_paging(api, w):
    w("## Paging")
    w("")
    w("A paged List takes `page_size` and `page_token` and answers `next_page_token`.")
    w("Send an empty `page_token` for the first page, then each answer's")
    w("`next_page_token` with the same other fields, until it comes back empty. A")
    w("`page_size` of 0 means the method's default; more than its maximum is taken as")
    w("the maximum; a negative one is INVALID_ARGUMENT. Tokens are opaque and bound to")
    w("the request's filters: a token that is corrupted, was not issued by the service,")
    w("or is sent with other filters is INVALID_ARGUMENT (reason INVALID_PAGE_TOKEN).")
    w("A page may hold fewer items than `page_size` before the last page. The order is")
    w("stable and is said on each method.")
    w("")
    w("| Method | Default `page_size` | Maximum | As the field's comment says |")
    w("|---|---|---|---|")
    unpaged = []
    for name, f, svc, path, m, mpath in methods_of(api):
        request = api.messages[m.input_type]
        response = api.message(m.output_type)
        size = field_named(request[1], "page_size")
        if field_named(request[1], "page_token") and field_named(response, "next_page_token"):
            text = ""
            if size:
                text = " ".join(api.comment(request[0], request[2] + (
                    2, list(request[1].field).index(size))).split())
            default = re.search(r"default \((\d+)\)|0 means (\d+)", text)
            maximum = re.search(r"maximum \((\d+)\)|[Aa]t most (\d+)", text)
            w(f"| [{name}.{m.name}](#{anchor(PACKAGE + '.' + name + '.' + m.name)}) | "
              f"{next(g for g in default.groups() if g) if default else '?'} | "
              f"{next(g for g in maximum.groups() if g) if maximum else '?'} | "
              f"{cell(text) if text else '(no page_size)'} |")
        elif m.name.startswith("List"):
            unpaged.append(f"{name}.{m.name}")
    w("")
    if unpaged:
        w("Not paged (the whole answer comes in one response): " +
          ", ".join(f"`{u}`" for u in unpaged) + ".")
        w("")


def render_idempotency(api, w):
    w("## Safe retries: request_id")
    w("")
    w("Writes take an optional `request_id` (AIP-155): a client-chosen id, 1 to 128")
    w("letters, digits and `. _ : -` (a UUID is the usual choice), new for each write")
    w("and reused only to retry that same write. Ids are per method.")
    w("")
    w("- A repeat with the same `request_id` and the same content (every field but")
    w("  `request_id`) returns the first answer and writes nothing.")
    w("- The same id with other content is ALREADY_EXISTS (reason REQUEST_ID_REUSED).")
    w("- A repeat while the first call is still running is ABORTED (reason")
    w("  REQUEST_IN_PROGRESS): retry after a moment.")
    w("- A write that failed keeps nothing: sending it again with the same id tries again.")
    w("- Answers are kept for at least 24 hours.")
    w("")
    w("So retry a write whose answer was lost (UNAVAILABLE, DEADLINE_EXCEEDED, a cut")
    w("connection) with the same `request_id`. The methods that take one (the field's")
    w("comment is in the request message):")
    w("")
    rows = []
    for name, f, svc, path, m, mpath in methods_of(api):
        request = api.messages[m.input_type]
        rid = field_named(request[1], "request_id")
        if rid:
            text = api.comment(request[0], request[2] + (2, list(request[1].field).index(rid)))
            rows.append((name, m, request, " ".join(text.split())))
    texts = [t for _, _, _, t in rows]
    common = max(set(texts), key=lambda t: (texts.count(t), t)) if texts else ""
    w("| Method | Request | Notes |")
    w("|---|---|---|")
    for name, m, request, text in rows:
        w(f"| [{name}.{m.name}](#{anchor(PACKAGE + '.' + name + '.' + m.name)}) | "
          f"{type_link(api, m.input_type)} | {cell(text) if text != common else ''} |")
    w("")
    w("## Etags")
    w("")
    w("A resource that several people change carries an `etag`, which changes whenever")
    w("the resource does. Send the etag you read with a change: if the resource changed")
    w("since, the change is refused with ABORTED (reason STALE_ETAG) and nothing is")
    w("written; read it again and decide again. An empty etag skips the check.")
    w("")
    w("| Resource | Its `etag` | Sent back with |")
    w("|---|---|---|")
    # A request's etag comment names the resource's field ("Escalation.etag").
    requests = []  # (link, etag comment)
    for name, f, svc, path, m, mpath in methods_of(api):
        request = api.messages[m.input_type]
        etag = field_named(request[1], "etag")
        if etag:
            text = api.comment(request[0], request[2] + (2, list(request[1].field).index(etag)))
            requests.append((f"[{name}.{m.name}](#{anchor(PACKAGE + '.' + name + '.' + m.name)})",
                             " ".join(text.split())))
    request_types = {m.input_type for _, _, _, _, m, _ in methods_of(api)}
    for full, (f, m, path) in sorted(api.messages.items()):
        if full in request_types:
            continue
        for j, fld in enumerate(m.field):
            if fld.name == "etag":
                senders = [link for link, text in requests if f"{short(full)}.etag" in text]
                w(f"| [{short(full)}](#{anchor(full)}) | {cell(api.comment(f, path + (2, j)))} | "
                  + (", ".join(senders) or "(none)") + " |")
    w("")


def render_service(api, w, ex):
    f, svc, path = api.services[ex.service]
    full = f"{PACKAGE}.{svc.name}"
    w(f'<a id="{full}"></a>')
    w("")
    w(f"## {svc.name}")
    w("")
    w(f"Defined in `{f.name}`.")
    w("")
    text = api.comment(f, path)
    if text:
        w(block(text))
        w("")
    w("| RPC | Request | Response |")
    w("|---|---|---|")
    for j, m in enumerate(svc.method):
        req = ("stream " if m.client_streaming else "") + type_link(api, m.input_type)
        resp = ("stream " if m.server_streaming else "") + type_link(api, m.output_type)
        w(f"| [{m.name}](#{full}.{m.name}) | {req} | {resp} |")
    w("")
    for j, m in enumerate(svc.method):
        w(f'<a id="{full}.{m.name}"></a>')
        w("")
        w(f"### {svc.name}.{m.name}")
        w("")
        kind = {(False, False): "unary", (True, False): "client streaming",
                (False, True): "server streaming", (True, True): "bidirectional streaming"}[
            (m.client_streaming, m.server_streaming)]
        req = ("stream of " if m.client_streaming else "") + type_link(api, m.input_type)
        resp = ("stream of " if m.server_streaming else "") + type_link(api, m.output_type)
        w(f"`/{full}/{m.name}` ({kind}): {req} → {resp}")
        w("")
        text = api.comment(f, path + (2, j))
        if text:
            w(block(text))
            w("")
    w(f"### Example: {ex.service}.{ex.method}")
    w("")
    w(ex.note + " The server address comes from `CARESCORE_SERVER` (default")
    w("`127.0.0.1:50051`), the token from `CARESCORE_TOKEN`, and a CA file for TLS from")
    w("`CARESCORE_TLS_CA` (unset: plaintext).")
    w("")
    for label, fence, make, readme in LANGUAGES:
        code = make(ex)
        if fence == "python":
            check_python_syntax(ex, code)
        w(f"{label} ([{readme}](../{readme})):")
        w("")
        w(f"```{fence}")
        w(code)
        w("```")
        w("")


def render_file(api, w, f):
    w(f'<a id="{file_anchor(f)}"></a>')
    w("")
    w(f"### {f.name}")
    w("")
    items = []
    for i, m in enumerate(f.message_type):
        collect_message(api, f, m, f".{f.package}", (4, i), items)
    for i, e in enumerate(f.enum_type):
        items.append(("enum", f".{f.package}.{e.name}", e, (5, i)))
    for kind, full, d, path in items:
        if kind == "message":
            render_message(api, w, f, full, d, path)
        else:
            render_enum(api, w, f, full, d, path)


def collect_message(api, f, m, scope, path, items):
    full = f"{scope}.{m.name}"
    if m.options.map_entry:
        return
    items.append(("message", full, m, path))
    for i, n in enumerate(m.nested_type):
        collect_message(api, f, n, full, path + (3, i), items)
    for i, e in enumerate(m.enum_type):
        items.append(("enum", f"{full}.{e.name}", e, path + (4, i)))


def render_message(api, w, f, full, m, path):
    w(f'<a id="{anchor(full)}"></a>')
    w("")
    w(f"#### {short(full)}")
    w("")
    text = api.comment(f, path)
    if text:
        w(block(text))
        w("")
    if not m.field:
        w("No fields.")
        w("")
        return
    w("| Field | Number | Type | Description |")
    w("|---|---|---|---|")
    for j, fld in enumerate(m.field):
        notes = []
        if fld.HasField("oneof_index") and not fld.proto3_optional:
            oneof = m.oneof_decl[fld.oneof_index].name
            notes.append(f"One of `{oneof}`.")
        if fld.options.deprecated and not api.comment(f, path + (2, j)).startswith("Deprecated"):
            notes.append("**Deprecated.**")
        desc = " ".join(notes + [cell(api.comment(f, path + (2, j)))]).strip()
        w(f"| `{fld.name}` | {fld.number} | {field_type(api, fld)} | {desc} |")
    w("")
    for k, oneof in enumerate(m.oneof_decl):
        members = [fld.name for fld in m.field
                   if fld.HasField("oneof_index") and fld.oneof_index == k and not fld.proto3_optional]
        if not members:
            continue
        text = api.comment(f, path + (8, k))
        w(f"Oneof `{oneof.name}` (at most one of " + ", ".join(f"`{n}`" for n in members) +
          ")" + (": " + cell(text) if text else ".") )
        w("")
    reserved = [str(r.start) if r.end - r.start == 1 else f"{r.start}-{r.end - 1}"
                for r in m.reserved_range] + [f'"{n}"' for n in m.reserved_name]
    if reserved:
        w("Reserved: " + ", ".join(reserved) + ".")
        w("")


def render_enum(api, w, f, full, e, path):
    w(f'<a id="{anchor(full)}"></a>')
    w("")
    w(f"#### {short(full)} (enum)")
    w("")
    text = api.comment(f, path)
    if text:
        w(block(text))
        w("")
    w("| Value | Number | Description |")
    w("|---|---|---|")
    for i, v in enumerate(e.value):
        w(f"| `{v.name}` | {v.number} | {cell(api.comment(f, path + (2, i)))} |")
    w("")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--protos", default=os.path.join(REPO, "protos"))
    parser.add_argument("--protoc", default="protoc")
    parser.add_argument("--out", default=os.path.join(REPO, "docs", "api.md"))
    parser.add_argument("--check", metavar="FILE",
                        help="compare FILE with what the protos make; exit 1 if they differ")
    args = parser.parse_args()
    api = Api(read_descriptors(args.protos, args.protoc))
    for f in api.files:
        expected = dict(EXPECTED_OPTIONS)
        expected["java_outer_classname"] = "".join(
            w.capitalize() for w in module_of(f.name).split("_")) + "Proto"
        for name, value in expected.items():
            if not f.options.HasField(name) or getattr(f.options, name) != value:
                got = getattr(f.options, name) if f.options.HasField(name) else "(not set)"
                sys.exit(f"gen_api_docs: {f.name}: option {name} is {got!r}, must be {value!r}")
    text = render(api)
    if args.check:
        problems = check_example_syntax(text)
        if problems:
            print("\n".join(problems))
            return 1
        try:
            with open(args.check, encoding="utf-8") as fh:
                current = fh.read()
        except FileNotFoundError:
            current = ""
        if current == text:
            print(f"{args.check} is up to date with the protos (and its Node.js and Go "
                  "examples parse)")
            return 0
        diff = list(difflib.unified_diff(current.splitlines(), text.splitlines(),
                                         f"{args.check} (committed)", "generated now", lineterm=""))
        sys.stdout.write("\n".join(diff[:60]) + "\n")
        if len(diff) > 60:
            print(f"... ({len(diff) - 60} more diff lines)")
        print(f"\n{args.check} is out of date with the protos. Regenerate it with:\n  {REGENERATE}")
        return 1
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    try:
        with open(args.out, encoding="utf-8") as fh:
            if fh.read() == text:
                return 0
    except FileNotFoundError:
        pass
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {os.path.relpath(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
