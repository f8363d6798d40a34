module carescore.gov.uk/carescore/clients/go

go 1.19

// Close to what Debian 12 ships (golang-google-grpc-dev 1.33.3,
// golang-google-protobuf-dev 1.28.1, golang-google-genproto-dev 2020-04);
// build.sh builds offline against Debian's packages in GOPATH mode, where
// this file is not read. In module mode, with a proxy, `go mod tidy` fills
// in the indirect requirements and go.sum.
require (
	google.golang.org/genproto v0.0.0-20200526211855-cb27e3aa2013
	google.golang.org/grpc v1.33.3
	google.golang.org/protobuf v1.28.1
)
