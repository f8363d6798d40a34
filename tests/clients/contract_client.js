// The API contract as a Node integrator meets it: @grpc/grpc-js with
// @grpc/proto-loader, the protos loaded from protos/ alone, and the error
// details (google.rpc.Status in the grpc-status-details-bin trailer) decoded
// with protobufjs from protos/google/rpc. Prints one JSON object of what it
// saw; the Python test that runs it judges.
//
// Usage: node contract_client.js ADDRESS PROTOS_DIR
// Token from $CARESCORE_TOKEN (an admin: it raises a case).

'use strict';

const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

const [address, protosDir] = process.argv.slice(2);
const load = (file) => grpc.loadPackageDefinition(protoLoader.loadSync(
    path.join(protosDir, file),
    {keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
     includeDirs: [protosDir]})).carescore.v1;
const credentials = grpc.credentials.createInsecure();
const reports = new (load('carescore/v1/reports.proto').ReportService)(address, credentials);
const indicators =
    new (load('carescore/v1/indicators.proto').IndicatorService)(address, credentials);
const escalations =
    new (load('carescore/v1/escalations.proto').EscalationService)(address, credentials);

const root = new protobuf.Root();
root.resolvePath = (origin, target) => path.join(protosDir, target);
root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto']);
const RpcStatus = root.lookupType('google.rpc.Status');
const ErrorInfo = root.lookupType('google.rpc.ErrorInfo');

const metadata = new grpc.Metadata();
metadata.set('authorization', `Bearer ${process.env.CARESCORE_TOKEN}`);

function call(client, method, request, ms = 30000) {
  return new Promise((resolve) => {
    client[method](request, metadata, {deadline: new Date(Date.now() + ms)}, (err, response) => {
      resolve({err, response});
    });
  });
}

// The code name and the ErrorInfo reason of a failed call.
function describe(err) {
  if (!err) return {code: 'OK', reason: ''};
  const out = {code: grpc.status[err.code], reason: '', message: err.details};
  const raw = err.metadata && err.metadata.get('grpc-status-details-bin')[0];
  if (raw) {
    for (const any of RpcStatus.decode(raw).details) {
      if (any.type_url === 'type.googleapis.com/google.rpc.ErrorInfo') {
        const info = ErrorInfo.decode(any.value);
        out.reason = info.reason;
        out.domain = info.domain;
        out.metadata = info.metadata;
      }
    }
  }
  return out;
}

(async () => {
  const seen = {};
  seen.unknown_la =
      describe((await call(reports, 'GetScorecard', {la_code: '999', month: '2018-10'})).err);
  seen.no_data =
      describe((await call(reports, 'GetScorecard', {la_code: '372', month: '2001-10'})).err);

  const raise = {
    la_code: '372', child_ref: 'CN-1001', iro_id: 'iro-node', team: 'LAC 1',
    themes: ['permanence_drift'], stage: 1, request_id: '0d4c7a42-7f3e-4a57-9c1b-5a1d2e3f4b6c',
  };
  const first = await call(escalations, 'RaiseEscalation', raise);
  const second = await call(escalations, 'RaiseEscalation', raise);
  const listed = await call(escalations, 'ListEscalations', {la_code: '372'});
  seen.raise = {
    first: describe(first.err), second: describe(second.err),
    first_id: first.response && first.response.escalation.id,
    second_id: second.response && second.response.escalation.id,
    cases_for_child: listed.response ?
        listed.response.escalations.filter((e) => e.child_ref === 'CN-1001').length : -1,
  };
  raise.team = 'Another team';
  seen.raise.reused = describe((await call(escalations, 'RaiseEscalation', raise)).err);

  seen.garbage_token = describe(
      (await call(indicators, 'ListLocalAuthorities', {page_size: 5, page_token: 'garbage'})).err);
  const page = await call(indicators, 'ListLocalAuthorities', {page_size: 5});
  seen.first_page = {code: describe(page.err).code,
                     items: page.response ? page.response.local_authorities.length : -1,
                     next: page.response ? page.response.next_page_token !== '' : false};
  if (page.response) {
    const token = page.response.next_page_token;
    const at = Math.floor(token.length / 2);
    const flipped = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    seen.flipped_token = describe((await call(
        indicators, 'ListLocalAuthorities', {page_size: 5, page_token: flipped})).err);
  }
  seen.pdf_deadline = describe((await call(
      reports, 'GetReport', {la_code: '372', month: '2018-10', format: 'REPORT_FORMAT_PDF'},
      200)).err);
  console.log(JSON.stringify(seen));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
