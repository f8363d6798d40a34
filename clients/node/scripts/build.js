#!/usr/bin/env node
// Builds the package from protos/: copies the .proto files the client loads
// at run time into OUT/protos (carescore/v1 and google/rpc) and generates
// the message and service types into OUT/generated with
// proto-loader-gen-types (the loader options client.js uses). With an OUT
// other than this folder, the package's own files are copied there too, so
// the build never writes into the source tree.
//
// Usage: node scripts/build.js [OUT] [PROTOS]
//   OUT     default: this package's folder
//   PROTOS  default: $CARESCORE_PROTOS, else ../../protos
'use strict';

const fs = require('fs');
const path = require('path');
const {execFileSync} = require('child_process');

const here = path.resolve(__dirname, '..');
const out = path.resolve(process.argv[2] || here);
const protos = path.resolve(process.argv[3] || process.env.CARESCORE_PROTOS ||
    path.join(here, '..', '..', 'protos'));

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), {recursive: true});
  fs.copyFileSync(from, to);
}

if (out !== here) {
  for (const dir of ['lib', 'examples']) {
    for (const f of fs.readdirSync(path.join(here, dir))) {
      copy(path.join(here, dir, f), path.join(out, dir, f));
    }
  }
  for (const f of ['package.json', 'README.md']) copy(path.join(here, f), path.join(out, f));
}

fs.rmSync(path.join(out, 'protos'), {recursive: true, force: true});
const v1 = fs.readdirSync(path.join(protos, 'carescore', 'v1'))
    .filter((f) => f.endsWith('.proto')).map((f) => path.join('carescore', 'v1', f));
const rpc = ['google/rpc/status.proto', 'google/rpc/error_details.proto'];
for (const f of [...v1, ...rpc]) copy(path.join(protos, f), path.join(out, 'protos', f));

fs.rmSync(path.join(out, 'generated'), {recursive: true, force: true});
const generator = require.resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js',
    {paths: [here, out]});
execFileSync(process.execPath, [generator, '--grpcLib', '@grpc/grpc-js', '--keepCase',
  '--longs', 'String', '--enums', 'String', '--defaults', '--oneofs', '--includeComments',
  '-I', path.join(out, 'protos'), '-O', path.join(out, 'generated'), ...v1, ...rpc],
{stdio: 'inherit'});
