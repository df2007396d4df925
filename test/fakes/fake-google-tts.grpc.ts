import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

/**
 * The fake Text-to-Speech's answers, transport-neutral, and its gRPC front: the
 * same SynthesizeSpeech behaviour as the REST front, served over TLS, with errors
 * carrying google.rpc.Status in grpc-status-details-bin as Google sends them.
 */

export const GRPC_CODES = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export interface Failure {
  http: number;
  status: keyof typeof GRPC_CODES;
  message: string;
  details?: ({ '@type': string } & Record<string, unknown>)[];
}
export interface Timepoint {
  markName: string;
  timeSeconds: number;
}
export type Answer = { audio: Buffer; timepoints?: Timepoint[] } | { error: Failure } | 'hang' | 'reset';
/** Records one SynthesizeSpeech call (of API version v1 or v1beta1) and decides its answer, whatever the transport. */
export type Synthesize = (headers: IncomingHttpHeaders, body: any, version: 'v1' | 'v1beta1') => Promise<Answer>;

export interface Front {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
/** Reads a JSON file shipped inside a package, past its `exports` map. */
function packageJson(pkg: string, relative: string): any {
  return JSON.parse(readFileSync(join(dirname(require.resolve(pkg)), relative), 'utf8'));
}

/** google.rpc.Status with its details as Any, the way Google sends it in grpc-status-details-bin. */
function statusDetailsBin(f: Failure): Buffer {
  const root = protobuf.Root.fromJSON(packageJson('google-gax', '../protos/status.json'));
  const Status = root.lookupType('google.rpc.Status');
  const details = (f.details ?? []).map(({ '@type': type, ...fields }) => {
    const T = root.lookupType(type.replace('type.googleapis.com/', ''));
    const value = { ...fields };
    if (typeof value.retryDelay === 'string') {
      const secs = Number(value.retryDelay.replace(/s$/, ''));
      value.retryDelay = { seconds: Math.floor(secs), nanos: Math.round((secs % 1) * 1e9) };
    }
    return { type_url: type, value: T.encode(T.fromObject(value)).finish() };
  });
  return Buffer.from(Status.encode(Status.fromObject({ code: GRPC_CODES[f.status], message: f.message, details })).finish());
}

export async function serveGrpc(synthesize: Synthesize, options: { tls?: { key: string; cert: string }; port?: number }): Promise<Front> {
  if (!options.tls) throw new Error('the gRPC fake needs tls: {key, cert} (the SDK only sends credentials over TLS)');
  const definition = protoLoader.fromJSON(packageJson('@google-cloud/text-to-speech', '../protos/protos.json'), {
    keepCase: false,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as any;
  const server = new grpc.Server();
  const hanging = new Set<grpc.ServerUnaryCall<any, any>>();
  const synthesizeSpeech =
    (version: 'v1' | 'v1beta1') =>
    (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>): void => {
      const headers = Object.fromEntries(Object.entries(call.metadata.getMap()).map(([k, v]) => [k, String(v)]));
      synthesize(headers, call.request, version).then(
        (answer) => {
          if (answer === 'hang') {
            hanging.add(call);
            call.on('cancelled', () => hanging.delete(call));
            return;
          }
          if (answer === 'reset') return callback({ code: grpc.status.UNAVAILABLE, details: 'Connection reset by fake' });
          if ('error' in answer) {
            const metadata = new grpc.Metadata();
            metadata.set('grpc-status-details-bin', statusDetailsBin(answer.error));
            return callback({ code: GRPC_CODES[answer.error.status], details: answer.error.message, metadata });
          }
          callback(null, { audioContent: answer.audio, ...(answer.timepoints ? { timepoints: answer.timepoints } : {}) });
        },
        (e: unknown) => callback({ code: grpc.status.INTERNAL, details: `fake failed: ${(e as Error).message}` }),
      );
    };
  // Both versions, as Google serves them: v1beta1 is the one with mark timepoints.
  for (const version of ['v1', 'v1beta1'] as const) {
    const service = loaded.google.cloud.texttospeech[version].TextToSpeech.service as grpc.ServiceDefinition;
    server.addService(service, { synthesizeSpeech: synthesizeSpeech(version) });
  }
  const creds = grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(options.tls.key), cert_chain: Buffer.from(options.tls.cert) }]);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    endpoint: `127.0.0.1:${port}`,
    port,
    close() {
      server.forceShutdown();
      return Promise.resolve();
    },
  };
}
