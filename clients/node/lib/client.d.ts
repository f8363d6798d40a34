// Types of client.js. The message types (Foo for what you send, Foo__Output
// for what you receive) are generated from the protos by `npm run build`
// (proto-loader-gen-types) into ../generated/carescore/v1/.
import type * as grpc from '@grpc/grpc-js';
import type {IndicatorServiceClient} from '../generated/carescore/v1/IndicatorService';
import type {BenchmarkServiceClient} from '../generated/carescore/v1/BenchmarkService';
import type {EscalationServiceClient} from '../generated/carescore/v1/EscalationService';
import type {ReportServiceClient} from '../generated/carescore/v1/ReportService';
import type {AuditServiceClient} from '../generated/carescore/v1/AuditService';
import type {AdminServiceClient} from '../generated/carescore/v1/AdminService';


export interface ClientOptions {
  /** Bearer token (JWT), sent as `authorization: Bearer <token>`. */
  token?: string;
  /** PEM file of the CA that signed the server's certificate; absent: plaintext (this machine only). */
  caFile?: string;
  /** The name the certificate must carry, if not the address's host. */
  serverName?: string;
  /** Deadline of each call unless the call gives its own; default 30000. */
  deadlineMs?: number;
  channelOptions?: grpc.ChannelOptions;
}

export interface CallOptions {
  deadlineMs?: number;
  /** Extra call metadata. */
  metadata?: Record<string, string>;
}

// What the last (shortest) overload of each kind of generated stub method
// says: unary (argument, callback) => ClientUnaryCall; client streaming
// (callback) => ClientWritableStream<Req>; server streaming (argument,
// options?) => ClientReadableStream<Res>.
type ClientStreaming<M> = M extends (callback: grpc.requestCallback<infer Res>) => grpc.ClientWritableStream<infer Req>
  ? (requests: Iterable<Req> | AsyncIterable<Req>, options?: CallOptions) => Promise<Res> : never;
type ServerStreaming<M> = M extends (argument: infer Req, options?: grpc.CallOptions) => grpc.ClientReadableStream<infer Res>
  ? (request: Req, options?: CallOptions) => AsyncIterable<Res> : never;
type Unary<M> = M extends (argument: infer Req, callback: grpc.requestCallback<infer Res>) => grpc.ClientUnaryCall
  ? (request: Req, options?: CallOptions) => Promise<Res> : never;

/**
 * A generated stub's RPCs (the PascalCase names), as promises (unary),
 * promises fed by an iterable of requests (client streaming) and async
 * iterables (server streaming).
 */
export type Promisified<S> = {
  [K in keyof S as K extends Capitalize<string & K> ? K : never]:
    [ClientStreaming<S[K]>] extends [never]
      ? [ServerStreaming<S[K]>] extends [never] ? Unary<S[K]> : ServerStreaming<S[K]>
      : ClientStreaming<S[K]>;
};

/**
 * A failed call: `code` (grpc.status), `codeName` ("NOT_FOUND"), `reason`
 * (the ErrorInfo reason, a carescore.v1.ErrorReason name such as
 * "LA_NOT_FOUND"; '' if none), `domain`, `metadata` and `fieldViolations`
 * (from a google.rpc.BadRequest).
 */
export declare class CarescoreError extends Error {
  readonly code: grpc.status;
  readonly codeName: string;
  readonly details: string;
  readonly reason: string;
  readonly domain: string;
  readonly metadata: Record<string, string>;
  readonly fieldViolations: {field: string; description: string}[];
  readonly grpcMetadata: grpc.Metadata | null;
  static fromGrpcError(err: unknown): CarescoreError | unknown;
}

/**
 * One channel to a carescore server. Messages are plain objects: snake_case
 * field names, enums as names ("RAG_RED"), int64 fields as decimal strings
 * (longs: String), absent `optional` fields null/undefined.
 */
export declare class Client {
  constructor(address: string, options?: ClientOptions);
  readonly indicators: Promisified<IndicatorServiceClient>;
  readonly benchmarks: Promisified<BenchmarkServiceClient>;
  readonly escalations: Promisified<EscalationServiceClient>;
  readonly reports: Promisified<ReportServiceClient>;
  readonly audit: Promisified<AuditServiceClient>;
  readonly admin: Promisified<AdminServiceClient>;
  close(): void;
}

export declare const ERROR_DOMAIN: 'carescore.gov.uk';
export declare const LOADER_OPTIONS: object;
