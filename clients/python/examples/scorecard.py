#!/usr/bin/env python3
"""Loads the shared Rotherham sample into a carescore server (local
authorities, the indicator catalogue with its targets for --year, and the
monthly values) and prints October 2018's scorecard for LA 372, then shows
the error an unknown LA (999) gives.

Usage: scorecard.py ADDRESS LAS_CSV INDICATORS_CSV VALUES_CSV
           [--year 2018-19] [--ca-file CA.pem] [--la 372] [--month 2018-10]
The token (an admin's, to load) comes from $CARESCORE_TOKEN.

Output, one record a line (the same in every client's example):
    loaded,<LAs>,<indicators>,<targets>,<values>
    scorecard,<la_code>,<la_name>,<month>,<lines>
    line,<code>,<value or empty>,<rag: red|amber|green|none>,<decimal places>
    error,<la asked>,<grpc code name>,<ErrorInfo reason>
"""

import argparse
import csv
import os
import sys
import uuid

from carescore import CarescoreError, Client
from carescore.v1 import indicators_pb2, reports_pb2

MISSING = {"", "-", "c", "x", ".."}


def number(text):
    return None if text.strip() in MISSING else float(text)


def enum_value(enum, prefix, word):
    """"rate_per_10k" -> UNIT_RATE_PER_10K's number."""
    return enum.Value(prefix + word.strip().upper())


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def local_authorities(path):
    return [indicators_pb2.LocalAuthority(
        la_code=r["la_code"], ons_code=r["ons_code"], name=r["name"], region=r["region"],
        status=enum_value(indicators_pb2.LaStatus, "LA_STATUS_", r.get("status") or "current"))
        for r in read_csv(path)]


def catalogue(path, year):
    """The indicators, and for `year` each rated indicator's target from the
    threshold columns (none given: an explicit "no target")."""
    indicators, targets = [], []
    for r in read_csv(path):
        ind = indicators_pb2.Indicator(
            code=r["code"], section=r["section"], title=r["title"],
            definition=r.get("definition") or "", national_ref=r.get("national_ref") or "",
            source_measure=r.get("source_measure") or "",
            council_plan=(r.get("council_plan") or "").lower() in ("yes", "y", "true", "1"),
            quartiles=(r.get("quartiles") or "yes").lower() in ("yes", "y", "true", "1"),
            polarity=enum_value(indicators_pb2.Polarity, "POLARITY_", r["polarity"]),
            unit=enum_value(indicators_pb2.Unit, "UNIT_", r["unit"]),
            period_type=enum_value(indicators_pb2.PeriodType, "PERIOD_TYPE_", r["period_type"]),
            rag_basis=enum_value(indicators_pb2.RagBasis, "RAG_BASIS_",
                                 r.get("rag_basis") or "none"))
        if (r.get("decimal_places") or "").strip():
            ind.decimal_places = int(r["decimal_places"])
        indicators.append(ind)
        if not year or ind.polarity in (indicators_pb2.POLARITY_INFO,
                                        indicators_pb2.POLARITY_UNSPECIFIED):
            continue
        figures = {k: number(r.get(k) or "") for k in (
            "red_threshold", "green_threshold", "range_low", "range_high", "range_tolerance_pct")}
        target = indicators_pb2.Target(indicator_code=ind.code, financial_year=year)
        if all(v is None for v in figures.values()):
            target.kind = indicators_pb2.TARGET_KIND_NONE
        else:
            for k, v in figures.items():
                if v is not None:
                    setattr(target, k, v)
            if ind.polarity == indicators_pb2.POLARITY_RANGE:
                target.kind = indicators_pb2.TARGET_KIND_RANGE
                target.range_tolerance_pct = figures["range_tolerance_pct"] or 0.0
            else:
                target.kind = indicators_pb2.TARGET_KIND_THRESHOLDS
                target.ClearField("range_tolerance_pct")
        targets.append(target)
    return indicators, targets


def monthly_values(path):
    values = []
    for line, r in enumerate(read_csv(path), start=2):
        v = indicators_pb2.ValueInput(la_code=r["la_code"], indicator_code=r["code"],
                                      month=r["period"], row=line)
        for field in ("value", "numerator", "denominator"):
            figure = number(r.get(field) or "")
            if figure is not None:
                setattr(v, field, figure)
        values.append(v)
    return values


def value_batches(source, values, size=5000):
    """ImportValues' stream: one load, sent in batches."""
    for start in range(0, len(values), size):
        yield indicators_pb2.ImportValuesRequest(
            source=source if start == 0 else "", values=values[start:start + size],
            request_id=str(uuid.uuid4()) if start == 0 else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("address")
    parser.add_argument("las")
    parser.add_argument("indicators")
    parser.add_argument("values")
    parser.add_argument("--year", default="2018-19")
    parser.add_argument("--ca-file")
    parser.add_argument("--la", default="372")
    parser.add_argument("--month", default="2018-10")
    args = parser.parse_args()

    with Client(args.address, token=os.environ.get("CARESCORE_TOKEN"), ca_file=args.ca_file,
                deadline=60) as client:
        las = local_authorities(args.las)
        client.indicators.ImportLocalAuthorities(indicators_pb2.ImportLocalAuthoritiesRequest(
            local_authorities=las, request_id=str(uuid.uuid4())))
        indicators, targets = catalogue(args.indicators, args.year)
        client.indicators.ImportIndicators(indicators_pb2.ImportIndicatorsRequest(
            indicators=indicators, request_id=str(uuid.uuid4())))
        if targets:
            client.indicators.SetTargets(indicators_pb2.SetTargetsRequest(
                targets=targets, request_id=str(uuid.uuid4())))
        values = monthly_values(args.values)
        loaded = client.indicators.ImportValues(
            value_batches(os.path.basename(args.values), values))
        print(f"loaded,{len(las)},{len(indicators)},{len(targets)},{loaded.written}")

        card = client.reports.GetScorecard(
            reports_pb2.GetScorecardRequest(la_code=args.la, month=args.month)).scorecard
        print(f"scorecard,{card.la_code},{card.la_name},{card.month},{len(card.lines)}")
        for line in card.lines:
            value = repr(line.value) if line.HasField("value") else ""
            rag = reports_pb2.Rag.Name(line.rag)[len("RAG_"):].lower()
            print(f"line,{line.code},{value},{'none' if rag == 'unspecified' else rag},"
                  f"{line.decimal_places}")

        try:
            client.reports.GetScorecard(
                reports_pb2.GetScorecardRequest(la_code="999", month=args.month))
            print("error,999,OK,", flush=True)
        except CarescoreError as e:
            print(f"error,999,{e.code.name},{e.reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
