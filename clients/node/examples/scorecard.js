#!/usr/bin/env node
// Loads the shared Rotherham sample into a carescore server (local
// authorities, the indicator catalogue with its targets for --year, and the
// monthly values), prints October 2018's scorecard for LA 372, then shows
// the error an unknown LA (999) gives.
//
// Usage: node scorecard.js ADDRESS LAS_CSV INDICATORS_CSV VALUES_CSV
//            [--year 2018-19] [--ca-file CA.pem] [--la 372] [--month 2018-10]
// The token (an admin's, to load) comes from $CARESCORE_TOKEN.
//
// Output, one record a line (the same in every client's example):
//   loaded,<LAs>,<indicators>,<targets>,<values>
//   scorecard,<la_code>,<la_name>,<month>,<lines>
//   line,<code>,<value or empty>,<rag: red|amber|green|none>,<decimal places>
//   error,<la asked>,<grpc code name>,<ErrorInfo reason>
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const {Client, CarescoreError} = require('@carescore/client');

function parseArgs(argv) {
  const flags = {year: '2018-19', caFile: '', la: '372', month: '2018-10'};
  const names = {'--year': 'year', '--ca-file': 'caFile', '--la': 'la', '--month': 'month'};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    if (names[argv[i]]) flags[names[argv[i]]] = argv[++i];
    else positional.push(argv[i]);
  }
  if (positional.length !== 4) {
    console.error('usage: scorecard.js ADDRESS LAS_CSV INDICATORS_CSV VALUES_CSV [--year YYYY-YY]');
    process.exit(2);
  }
  return {positional, flags};
}

// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines.
function readCsv(file) {
  const text = fs.readFileSync(file, 'utf8');
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...rows] = records.filter((r) => r.length > 1 || r[0] !== '');
  return rows.map((r) => Object.fromEntries(header.map((column, i) => [column, r[i] || ''])));
}

const MISSING = new Set(['', '-', 'c', 'x', '..']);
function number(text) {
  const t = (text || '').trim();
  if (MISSING.has(t)) return null;
  const v = Number(t);
  if (Number.isNaN(v)) throw new Error(`"${t}" is not a number`);
  return v;
}

// ("UNIT_", "rate_per_10k") -> "UNIT_RATE_PER_10K" (enums travel as names).
function enumName(prefix, word) {
  return prefix + word.trim().toUpperCase();
}

function yes(text, ifEmpty) {
  const t = (text || '').toLowerCase();
  return t === '' ? ifEmpty : ['yes', 'y', 'true', '1'].includes(t);
}

function localAuthorities(file) {
  return readCsv(file).map((r) => ({
    la_code: r.la_code, ons_code: r.ons_code, name: r.name, region: r.region,
    status: enumName('LA_STATUS_', r.status || 'current'),
  }));
}

// The indicators and, for `year`, each rated indicator's target from the
// threshold columns (none given: an explicit "no target").
function catalogue(file, year) {
  const indicators = [];
  const targets = [];
  for (const r of readCsv(file)) {
    const ind = {
      code: r.code, section: r.section, title: r.title, definition: r.definition || '',
      national_ref: r.national_ref || '', source_measure: r.source_measure || '',
      council_plan: yes(r.council_plan, false), quartiles: yes(r.quartiles, true),
      polarity: enumName('POLARITY_', r.polarity), unit: enumName('UNIT_', r.unit),
      period_type: enumName('PERIOD_TYPE_', r.period_type),
      rag_basis: enumName('RAG_BASIS_', r.rag_basis || 'none'),
    };
    if ((r.decimal_places || '').trim() !== '') ind.decimal_places = Number(r.decimal_places);
    indicators.push(ind);
    if (!year || ind.polarity === 'POLARITY_INFO' || ind.polarity === 'POLARITY_UNSPECIFIED') {
      continue;
    }
    const columns = ['red_threshold', 'green_threshold', 'range_low', 'range_high',
      'range_tolerance_pct'];
    const figures = Object.fromEntries(columns.map((c) => [c, number(r[c])]));
    const target = {indicator_code: ind.code, financial_year: year};
    const set = (...names) => {
      for (const n of names) if (figures[n] !== null) target[n] = figures[n];
    };
    if (columns.every((c) => figures[c] === null)) {
      target.kind = 'TARGET_KIND_NONE';
    } else if (ind.polarity === 'POLARITY_RANGE') {
      target.kind = 'TARGET_KIND_RANGE';
      set('range_low', 'range_high', 'red_threshold', 'green_threshold');
      target.range_tolerance_pct = figures.range_tolerance_pct ?? 0;
    } else {
      target.kind = 'TARGET_KIND_THRESHOLDS';
      set('red_threshold', 'green_threshold', 'range_low', 'range_high');
    }
    targets.push(target);
  }
  return {indicators, targets};
}

function monthlyValues(file) {
  return readCsv(file).map((r, i) => {
    const v = {la_code: r.la_code, indicator_code: r.code, month: r.period, row: i + 2};
    for (const field of ['value', 'numerator', 'denominator']) {
      const figure = number(r[field]);
      if (figure !== null) v[field] = figure;
    }
    return v;
  });
}

// ImportValues' stream: one load, sent in batches.
function* valueBatches(source, values, size = 5000) {
  for (let start = 0; start < values.length; start += size) {
    yield {
      source: start === 0 ? source : '',
      request_id: start === 0 ? crypto.randomUUID() : '',
      values: values.slice(start, start + size),
    };
  }
}

async function main() {
  const {positional: [address, lasFile, indicatorsFile, valuesFile], flags} =
    parseArgs(process.argv.slice(2));
  const client = new Client(address, {
    token: process.env.CARESCORE_TOKEN, caFile: flags.caFile || undefined, deadlineMs: 60000});
  try {
    const las = localAuthorities(lasFile);
    await client.indicators.ImportLocalAuthorities(
        {local_authorities: las, request_id: crypto.randomUUID()});
    const {indicators, targets} = catalogue(indicatorsFile, flags.year);
    await client.indicators.ImportIndicators({indicators, request_id: crypto.randomUUID()});
    if (targets.length > 0) {
      await client.indicators.SetTargets({targets, request_id: crypto.randomUUID()});
    }
    const values = monthlyValues(valuesFile);
    const loaded = await client.indicators.ImportValues(
        valueBatches(path.basename(valuesFile), values));
    // int64 fields arrive as decimal strings (longs: String).
    console.log(`loaded,${las.length},${indicators.length},${targets.length},${loaded.written}`);

    const {scorecard: card} = await client.reports.GetScorecard(
        {la_code: flags.la, month: flags.month});
    console.log(`scorecard,${card.la_code},${card.la_name},${card.month},${card.lines.length}`);
    for (const line of card.lines) {
      const value = line.value === null || line.value === undefined ? '' : String(line.value);
      let rag = line.rag.replace(/^RAG_/, '').toLowerCase();
      if (rag === 'unspecified') rag = 'none';
      console.log(`line,${line.code},${value},${rag},${line.decimal_places}`);
    }

    try {
      await client.reports.GetScorecard({la_code: '999', month: flags.month});
      console.log('error,999,OK,');
    } catch (err) {
      if (!(err instanceof CarescoreError)) throw err;
      console.log(`error,999,${err.codeName},${err.reason}`);
    }
  } finally {
    client.close();
  }
}

main().catch((err) => {
  console.error(`scorecard: ${err.message}`);
  process.exit(1);
});
