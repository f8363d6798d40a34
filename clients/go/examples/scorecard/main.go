// Command scorecard loads the shared Rotherham sample into a carescore
// server (local authorities, the indicator catalogue with its targets for
// -year, and the monthly values), prints October 2018's scorecard for LA
// 372, then shows the error an unknown LA (999) gives.
//
//	scorecard [-year 2018-19] [-ca-file CA.pem] ADDRESS LAS_CSV INDICATORS_CSV VALUES_CSV
//
// The token (an admin's, to load) comes from $CARESCORE_TOKEN. Output, one
// record a line (the same in every client's example):
//
//	loaded,<LAs>,<indicators>,<targets>,<values>
//	scorecard,<la_code>,<la_name>,<month>,<lines>
//	line,<code>,<value or empty>,<rag: red|amber|green|none>,<decimal places>
//	error,<la asked>,<grpc code name>,<ErrorInfo reason>
package main

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	carescore "carescore.gov.uk/carescore/clients/go"
	v1 "carescore.gov.uk/carescore/clients/go/carescorev1"
)

func main() {
	year := flag.String("year", "2018-19", "financial year of the catalogue's thresholds")
	caFile := flag.String("ca-file", "", "CA certificate (PEM) for TLS; empty: plaintext")
	la := flag.String("la", "372", "LA code")
	month := flag.String("month", "2018-10", "month, YYYY-MM")
	flag.Parse()
	// Flags may follow the positional arguments, as the other examples allow.
	args := flag.Args()
	positional := []string{}
	for len(args) > 0 {
		positional = append(positional, args[0])
		if err := flag.CommandLine.Parse(args[1:]); err != nil {
			os.Exit(2)
		}
		args = flag.Args()
	}
	if len(positional) != 4 {
		fmt.Fprintln(os.Stderr, "usage: scorecard [flags] ADDRESS LAS_CSV INDICATORS_CSV VALUES_CSV")
		os.Exit(2)
	}
	if err := run(positional, *year, *caFile, *la, *month); err != nil {
		fmt.Fprintln(os.Stderr, "scorecard:", err)
		os.Exit(1)
	}
}

func run(args []string, year, caFile, la, month string) error {
	client, err := carescore.Dial(args[0], carescore.Options{
		Token: os.Getenv("CARESCORE_TOKEN"), CAFile: caFile, Deadline: 60 * time.Second})
	if err != nil {
		return err
	}
	defer client.Close()
	ctx := context.Background()

	las, err := localAuthorities(args[1])
	if err != nil {
		return err
	}
	if _, err := client.Indicators.ImportLocalAuthorities(ctx, &v1.ImportLocalAuthoritiesRequest{
		LocalAuthorities: las, RequestId: requestID()}); err != nil {
		return err
	}
	indicators, targets, err := catalogue(args[2], year)
	if err != nil {
		return err
	}
	if _, err := client.Indicators.ImportIndicators(ctx, &v1.ImportIndicatorsRequest{
		Indicators: indicators, RequestId: requestID()}); err != nil {
		return err
	}
	if len(targets) > 0 {
		if _, err := client.Indicators.SetTargets(ctx, &v1.SetTargetsRequest{
			Targets: targets, RequestId: requestID()}); err != nil {
			return err
		}
	}
	values, err := monthlyValues(args[3])
	if err != nil {
		return err
	}
	stream, err := client.Indicators.ImportValues(ctx)
	if err != nil {
		return err
	}
	const batch = 5000
	for start := 0; start < len(values); start += batch {
		end := start + batch
		if end > len(values) {
			end = len(values)
		}
		req := &v1.ImportValuesRequest{Values: values[start:end]}
		if start == 0 {
			req.Source, req.RequestId = filepath.Base(args[3]), requestID()
		}
		if err := stream.Send(req); err != nil {
			break // The server ended the call; CloseAndRecv says why.
		}
	}
	loaded, err := stream.CloseAndRecv()
	if err != nil {
		return err
	}
	fmt.Printf("loaded,%d,%d,%d,%d\n", len(las), len(indicators), len(targets), loaded.GetWritten())

	resp, err := client.Reports.GetScorecard(ctx, &v1.GetScorecardRequest{LaCode: la, Month: month})
	if err != nil {
		return err
	}
	card := resp.GetScorecard()
	fmt.Printf("scorecard,%s,%s,%s,%d\n", card.GetLaCode(), card.GetLaName(), card.GetMonth(),
		len(card.GetLines()))
	for _, line := range card.GetLines() {
		value := ""
		if line.Value != nil {
			value = strconv.FormatFloat(line.GetValue(), 'g', -1, 64)
		}
		rag := strings.ToLower(strings.TrimPrefix(line.GetRag().String(), "RAG_"))
		if rag == "unspecified" {
			rag = "none"
		}
		fmt.Printf("line,%s,%s,%s,%d\n", line.GetCode(), value, rag, line.GetDecimalPlaces())
	}

	_, err = client.Reports.GetScorecard(ctx, &v1.GetScorecardRequest{LaCode: "999", Month: month})
	var e *carescore.Error
	switch {
	case err == nil:
		fmt.Println("error,999,OK,")
	case errors.As(err, &e):
		fmt.Printf("error,999,%s,%s\n", codeName(e.Code.String()), e.Reason)
	default:
		return err
	}
	return nil
}

// codeName turns grpc-go's "NotFound" into the canonical "NOT_FOUND".
func codeName(camel string) string {
	var b strings.Builder
	for i, r := range camel {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

func requestID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// readCSV returns the rows as maps from column name to field.
func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	rows := make([]map[string]string, 0, len(records)-1)
	for _, record := range records[1:] {
		row := map[string]string{}
		for i, column := range records[0] {
			row[column] = record[i]
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// number is nil for a missing figure ("", "-", "c", "x", "..").
func number(text string) (*float64, error) {
	switch strings.TrimSpace(text) {
	case "", "-", "c", "x", "..":
		return nil, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// enumValue turns ("UNIT_", "rate_per_10k") into UNIT_RATE_PER_10K's number.
func enumValue(values map[string]int32, prefix, word string) (int32, error) {
	v, ok := values[prefix+strings.ToUpper(strings.TrimSpace(word))]
	if !ok {
		return 0, fmt.Errorf("%q is not a %s value", word, strings.TrimSuffix(prefix, "_"))
	}
	return v, nil
}

func orDefault(text, fallback string) string {
	if text == "" {
		return fallback
	}
	return text
}

func yes(text string, ifEmpty bool) bool {
	switch strings.ToLower(text) {
	case "":
		return ifEmpty
	case "yes", "y", "true", "1":
		return true
	}
	return false
}

func localAuthorities(path string) ([]*v1.LocalAuthority, error) {
	rows, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	out := []*v1.LocalAuthority{}
	for _, r := range rows {
		status, err := enumValue(v1.LaStatus_value, "LA_STATUS_", orDefault(r["status"], "current"))
		if err != nil {
			return nil, err
		}
		out = append(out, &v1.LocalAuthority{LaCode: r["la_code"], OnsCode: r["ons_code"],
			Name: r["name"], Region: r["region"], Status: v1.LaStatus(status)})
	}
	return out, nil
}

// catalogue returns the indicators and, for year, each rated indicator's
// target from the threshold columns (none given: an explicit "no target").
func catalogue(path, year string) ([]*v1.Indicator, []*v1.Target, error) {
	rows, err := readCSV(path)
	if err != nil {
		return nil, nil, err
	}
	var indicators []*v1.Indicator
	var targets []*v1.Target
	for _, r := range rows {
		ind := &v1.Indicator{Code: r["code"], Section: r["section"], Title: r["title"],
			Definition: r["definition"], NationalRef: r["national_ref"],
			SourceMeasure: r["source_measure"], CouncilPlan: yes(r["council_plan"], false),
			Quartiles: yes(r["quartiles"], true)}
		polarity, err1 := enumValue(v1.Polarity_value, "POLARITY_", r["polarity"])
		unit, err2 := enumValue(v1.Unit_value, "UNIT_", r["unit"])
		period, err3 := enumValue(v1.PeriodType_value, "PERIOD_TYPE_", r["period_type"])
		rag, err4 := enumValue(v1.RagBasis_value, "RAG_BASIS_", orDefault(r["rag_basis"], "none"))
		for _, err := range []error{err1, err2, err3, err4} {
			if err != nil {
				return nil, nil, fmt.Errorf("indicator %s: %w", ind.Code, err)
			}
		}
		ind.Polarity, ind.Unit = v1.Polarity(polarity), v1.Unit(unit)
		ind.PeriodType, ind.RagBasis = v1.PeriodType(period), v1.RagBasis(rag)
		if places := r["decimal_places"]; places != "" {
			dp, err := strconv.Atoi(places)
			if err != nil {
				return nil, nil, fmt.Errorf("indicator %s: decimal_places: %w", ind.Code, err)
			}
			ind.DecimalPlaces = proto.Int32(int32(dp))
		}
		indicators = append(indicators, ind)
		if year == "" || ind.Polarity == v1.Polarity_POLARITY_INFO ||
			ind.Polarity == v1.Polarity_POLARITY_UNSPECIFIED {
			continue
		}
		figures := map[string]*float64{}
		any := false
		for _, column := range []string{"red_threshold", "green_threshold", "range_low",
			"range_high", "range_tolerance_pct"} {
			v, err := number(r[column])
			if err != nil {
				return nil, nil, fmt.Errorf("indicator %s: %s: %w", ind.Code, column, err)
			}
			figures[column] = v
			any = any || v != nil
		}
		t := &v1.Target{IndicatorCode: ind.Code, FinancialYear: year}
		switch {
		case !any:
			t.Kind = v1.TargetKind_TARGET_KIND_NONE
		case ind.Polarity == v1.Polarity_POLARITY_RANGE:
			t.Kind = v1.TargetKind_TARGET_KIND_RANGE
			t.RangeLow, t.RangeHigh = figures["range_low"], figures["range_high"]
			t.RangeTolerancePct = proto.Float64(0)
			if tol := figures["range_tolerance_pct"]; tol != nil {
				t.RangeTolerancePct = tol
			}
			t.RedThreshold, t.GreenThreshold = figures["red_threshold"], figures["green_threshold"]
		default:
			t.Kind = v1.TargetKind_TARGET_KIND_THRESHOLDS
			t.RedThreshold, t.GreenThreshold = figures["red_threshold"], figures["green_threshold"]
			t.RangeLow, t.RangeHigh = figures["range_low"], figures["range_high"]
		}
		targets = append(targets, t)
	}
	return indicators, targets, nil
}

func monthlyValues(path string) ([]*v1.ValueInput, error) {
	rows, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	out := make([]*v1.ValueInput, 0, len(rows))
	for i, r := range rows {
		v := &v1.ValueInput{LaCode: r["la_code"], IndicatorCode: r["code"],
			Period: &v1.ValueInput_Month{Month: r["period"]}, Row: int32(i + 2)}
		var err error
		if v.Value, err = number(r["value"]); err != nil {
			return nil, fmt.Errorf("%s line %d: value: %w", path, i+2, err)
		}
		if v.Numerator, err = number(r["numerator"]); err != nil {
			return nil, fmt.Errorf("%s line %d: numerator: %w", path, i+2, err)
		}
		if v.Denominator, err = number(r["denominator"]); err != nil {
			return nil, fmt.Errorf("%s line %d: denominator: %w", path, i+2, err)
		}
		out = append(out, v)
	}
	return out, nil
}
