/**
 * The few BuildKit protobuf messages safe-deploy speaks, written out here (not loaded from .proto
 * files at run time) so the ncc bundle needs no asset files. Field numbers follow moby/buildkit's
 * api/services/control/control.proto, session/secrets/secrets.proto, session/auth/auth.proto and
 * grpc's health.proto; fields we never read are left out (protobuf skips unknown fields).
 */
import protobuf from 'protobufjs';

const PROTO = `
syntax = "proto3";

package moby.buildkit.v1;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message Vertex {
  string digest = 1;
  repeated string inputs = 2;
  string name = 3;
  bool cached = 4;
  Timestamp started = 5;
  Timestamp completed = 6;
  string error = 7;
}
message VertexStatus {
  string ID = 1;
  string vertex = 2;
  string name = 3;
  int64 current = 4;
  int64 total = 5;
}
message VertexLog {
  string vertex = 1;
  Timestamp timestamp = 2;
  int64 stream = 3;
  bytes msg = 4;
}
message StatusResponse {
  repeated Vertex vertexes = 1;
  repeated VertexStatus statuses = 2;
  repeated VertexLog logs = 3;
}
`;

const SESSION_PROTO = `
syntax = "proto3";
package moby.buildkit.secrets.v1;
message GetSecretRequest { string ID = 1; map<string, string> annotations = 2; }
message GetSecretResponse { bytes data = 1; }
`;

const AUTH_PROTO = `
syntax = "proto3";
package moby.filesync.v1;
message CredentialsRequest { string Host = 1; }
message CredentialsResponse { string Username = 1; string Secret = 2; }
`;

const HEALTH_PROTO = `
syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse { int32 status = 1; }
`;

const root = new protobuf.Root();
for (const text of [PROTO, SESSION_PROTO, AUTH_PROTO, HEALTH_PROTO]) protobuf.parse(text, root);

export const StatusResponse = root.lookupType('moby.buildkit.v1.StatusResponse');
export const GetSecretRequest = root.lookupType('moby.buildkit.secrets.v1.GetSecretRequest');
export const GetSecretResponse = root.lookupType('moby.buildkit.secrets.v1.GetSecretResponse');
export const CredentialsRequest = root.lookupType('moby.filesync.v1.CredentialsRequest');
export const CredentialsResponse = root.lookupType('moby.filesync.v1.CredentialsResponse');
export const HealthCheckRequest = root.lookupType('grpc.health.v1.HealthCheckRequest');
export const HealthCheckResponse = root.lookupType('grpc.health.v1.HealthCheckResponse');

export interface Timestamp {
  seconds: number;
  nanos: number;
}
export interface Vertex {
  digest: string;
  name: string;
  cached: boolean;
  started?: Timestamp;
  completed?: Timestamp;
  error: string;
}
export interface VertexLog {
  vertex: string;
  stream: number;
  msg: Buffer;
}
export interface Status {
  vertexes: Vertex[];
  logs: VertexLog[];
}

/** One `moby.buildkit.trace` record's `aux` (base64 protobuf) as plain data. */
export function decodeStatus(aux: string): Status {
  const msg = StatusResponse.decode(Buffer.from(aux, 'base64'));
  const o = StatusResponse.toObject(msg, { longs: Number, defaults: true, arrays: true }) as {
    vertexes: Vertex[];
    logs: (Omit<VertexLog, 'msg'> & { msg: Uint8Array })[];
  };
  return {
    vertexes: o.vertexes,
    logs: o.logs.map((l) => ({ ...l, msg: Buffer.from(l.msg) })),
  };
}
