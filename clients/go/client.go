// Package carescore is a thin client for the carescore gRPC API: one
// connection (TLS with a CA file, or plaintext for a server on this
// machine), the bearer token on every call, a default deadline for calls
// whose context has none, and errors returned as *Error with the
// google.rpc.ErrorInfo reason and BadRequest field violations decoded.
//
// The messages and stubs are in carescorev1, generated from protos/ by the
// build (protoc-gen-go and protoc-gen-go-grpc):
//
//	c, err := carescore.Dial("localhost:50051", carescore.Options{Token: token, CAFile: "ca.pem"})
//	if err != nil { ... }
//	defer c.Close()
//	resp, err := c.Reports.GetScorecard(ctx, &carescorev1.GetScorecardRequest{LaCode: "372", Month: "2018-10"})
//	var e *carescore.Error
//	if errors.As(err, &e) && e.Reason == "LA_NOT_FOUND" { ... }
package carescore

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	"carescore.gov.uk/carescore/clients/go/carescorev1"
)

// Options say how to reach the server. The zero value is a plaintext
// connection with no token and a 30 s default deadline.
type Options struct {
	// Token is a bearer token (JWT), sent as `authorization: Bearer <token>`.
	Token string
	// CAFile is a PEM file of the CA that signed the server's certificate;
	// empty means plaintext, for a server on this machine only.
	CAFile string
	// ServerName is the name the certificate must carry, if not the address's host.
	ServerName string
	// Deadline is how long a call may take when its context has no deadline.
	Deadline time.Duration
}

// Client holds one connection and a stub for each service. It is safe for
// concurrent use; Close ends the connection.
type Client struct {
	conn        *grpc.ClientConn
	options     Options
	Indicators  carescorev1.IndicatorServiceClient
	Benchmarks  carescorev1.BenchmarkServiceClient
	Escalations carescorev1.EscalationServiceClient
	Reports     carescorev1.ReportServiceClient
	Audit       carescorev1.AuditServiceClient
	Admin       carescorev1.AdminServiceClient
}

// Dial connects (lazily: the first call connects) to address, "host:port".
func Dial(address string, options Options) (*Client, error) {
	if options.Deadline <= 0 {
		options.Deadline = 30 * time.Second
	}
	c := &Client{options: options}
	transport := grpc.WithInsecure()
	if options.CAFile != "" {
		pem, err := os.ReadFile(options.CAFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s holds no PEM certificate", options.CAFile)
		}
		transport = grpc.WithTransportCredentials(credentials.NewTLS(
			&tls.Config{RootCAs: pool, ServerName: options.ServerName, MinVersion: tls.VersionTLS12}))
	}
	conn, err := grpc.Dial(address, transport,
		// Debian's grpc-go 1.33 marshals with the older protobuf API; the
		// generated messages use the current one.
		grpc.WithDefaultCallOptions(grpc.ForceCodec(codec{})),
		grpc.WithUnaryInterceptor(c.unary),
		grpc.WithStreamInterceptor(c.stream))
	if err != nil {
		return nil, err
	}
	c.conn = conn
	c.Indicators = carescorev1.NewIndicatorServiceClient(conn)
	c.Benchmarks = carescorev1.NewBenchmarkServiceClient(conn)
	c.Escalations = carescorev1.NewEscalationServiceClient(conn)
	c.Reports = carescorev1.NewReportServiceClient(conn)
	c.Audit = carescorev1.NewAuditServiceClient(conn)
	c.Admin = carescorev1.NewAdminServiceClient(conn)
	return c, nil
}

// Close ends the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Conn is the connection, for the stubs of services this package does not name.
func (c *Client) Conn() *grpc.ClientConn { return c.conn }

func (c *Client) prepare(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.options.Token != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+c.options.Token)
	}
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, c.options.Deadline)
}

func (c *Client) unary(ctx context.Context, method string, req, reply interface{},
	cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	ctx, cancel := c.prepare(ctx)
	defer cancel()
	return asError(invoker(ctx, method, req, reply, cc, opts...))
}

func (c *Client) stream(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn,
	method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	ctx, cancel := c.prepare(ctx)
	s, err := streamer(ctx, desc, cc, method, opts...)
	if err != nil {
		cancel()
		return nil, asError(err)
	}
	return &clientStream{ClientStream: s, cancel: cancel}, nil
}

// clientStream releases the deadline's timer when the stream ends and turns
// its errors into *Error.
type clientStream struct {
	grpc.ClientStream
	cancel context.CancelFunc
}

func (s *clientStream) SendMsg(m interface{}) error {
	err := s.ClientStream.SendMsg(m)
	if err != nil && err != io.EOF {
		s.cancel()
		return asError(err)
	}
	return err
}

func (s *clientStream) RecvMsg(m interface{}) error {
	err := s.ClientStream.RecvMsg(m)
	if err != nil {
		s.cancel()
		if err != io.EOF {
			return asError(err)
		}
	}
	return err
}

// codec is gRPC's "proto" codec on google.golang.org/protobuf.
type codec struct{}

func (codec) Marshal(v interface{}) ([]byte, error) {
	m, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("carescore: %T is not a protobuf message", v)
	}
	return proto.Marshal(m)
}

func (codec) Unmarshal(data []byte, v interface{}) error {
	m, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("carescore: %T is not a protobuf message", v)
	}
	return proto.Unmarshal(data, m)
}

func (codec) Name() string { return "proto" }
