// GetScorecard as a Node integrator calls it: @grpc/grpc-js with
// @grpc/proto-loader (protobufjs 7), the protos loaded from protos/ alone.
// Calls GetScorecard COUNT times for LA and MONTH and prints each decoded
// response as one JSON line: {cache, la_code, la_name, month, lines}.
// The bearer token comes from $CARESCORE_TOKEN, sent as every integrator
// sends it: `authorization: Bearer <token>` call metadata.
//
// Usage: node scorecard_client.js ADDRESS PROTOS_DIR LA MONTH COUNT

'use strict';

const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [address, protosDir, laCode, month, count] = process.argv.slice(2);
if (!count) {
  console.error('usage: node scorecard_client.js ADDRESS PROTOS_DIR LA MONTH COUNT');
  process.exit(2);
}

// The options most Node examples use; google/protobuf/*.proto come with
// protobufjs.
const definition = protoLoader.loadSync(
    path.join(protosDir, 'carescore/v1/reports.proto'),
    {keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
     includeDirs: [protosDir]});
const v1 = grpc.loadPackageDefinition(definition).carescore.v1;
const client = new v1.ReportService(address, grpc.credentials.createInsecure());

const metadata = new grpc.Metadata();
if (process.env.CARESCORE_TOKEN) {
  metadata.set('authorization', `Bearer ${process.env.CARESCORE_TOKEN}`);
}

function getScorecard() {
  return new Promise((resolve, reject) => {
    const deadline = new Date(Date.now() + 60000);
    client.GetScorecard({la_code: laCode, month: month}, metadata, {deadline}, (err, response) => {
      if (err) reject(err);
      else resolve(response);
    });
  });
}

(async () => {
  for (let i = 0; i < Number(count); i++) {
    const response = await getScorecard();
    const card = response.scorecard || {};
    console.log(JSON.stringify({
      cache: response.cache,
      la_code: card.la_code,
      la_name: card.la_name,
      month: card.month,
      lines: (card.lines || []).map((l) => ({
        code: l.code,
        value: l.value === undefined || l.value === null ? null : l.value,
        rag: l.rag,
        dot: l.dot,
      })),
    }));
  }
  client.close();
})().catch((err) => {
  console.error(`GetScorecard failed: ${err.message}`);
  client.close();
  process.exit(1);
});
