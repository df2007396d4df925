// google-gax is the SDK's own transport; its bundled google-auth-library is the
// copy the client expects an auth client from (the top-level one is older).
import { type ClientOptions, googleAuthLibrary } from 'google-gax';

/** v1beta1: the version that returns SSML mark timepoints. */
const SERVICE = 'google.cloud.texttospeech.v1beta1.TextToSpeech';
const SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

/**
 * What this adapter reads from the `tts` config namespace (TtsConfig in
 * libs/config/src/tts.config.ts satisfies it as is; narrator.factory.ts passes it).
 * Spelled out as only what the adapter reads, so its specs build a config without
 * the rest of the namespace.
 */
export interface GoogleTtsNarratorConfig {
  google?: {
    credentials:
      { kind: 'api_key'; apiKey: string } | { kind: 'service_account'; serviceAccount: { clientEmail: string; privateKey: string; projectId?: string } };
    /** Undefined: Google's own endpoint over gRPC. `rest` requires a URL-given endpoint. */
    endpoint?: { transport: 'grpc' | 'rest'; protocol: 'http' | 'https'; host: string; port?: number };
  };
  /** Default voice name; used only when its language prefix matches the request's. */
  voice?: string;
  speakingRate: number;
  audioEncoding: 'MP3' | 'LINEAR16';
  /** Per-call timeout (AI_REQUEST_TIMEOUT_MS). */
  timeoutMs: number;
}

/** The SDK's own options for a config: endpoint/transport, credentials, no retries. */
export function googleTtsClientOptions(config: GoogleTtsNarratorConfig): ClientOptions {
  const google = config.google;
  if (!google) throw new Error('GoogleTtsNarrator needs Google credentials (GOOGLE_TTS_CREDENTIALS_PATH or GOOGLE_TTS_API_KEY)');
  const options: ClientOptions = {
    // Retries belong to the queue, which backs off and counts attempts across
    // processes; gax would otherwise retry UNAVAILABLE/DEADLINE_EXCEEDED for up
    // to 600 s inside one job. Each call also passes `retry: null`.
    clientConfig: {
      interfaces: {
        [SERVICE]: {
          retry_codes: { none: [] },
          methods: { SynthesizeSpeech: { timeout_millis: config.timeoutMs, retry_codes_name: 'none' } },
        },
      },
    },
  };
  const endpoint = google.endpoint;
  if (endpoint) {
    options.apiEndpoint = endpoint.host;
    if (endpoint.port !== undefined) options.port = endpoint.port;
    if (endpoint.transport === 'rest') {
      // HTTP/1.1 REST with JSON bodies. Used only when the endpoint is a URL:
      // gRPC attaches credentials only to TLS channels, so a plain-http fake or
      // gateway needs this; Google's own endpoint keeps the default (gRPC/TLS).
      options.fallback = 'rest';
      options.protocol = endpoint.protocol;
    }
  }
  // Either way an explicit auth client. ClientOptions `apiKey` works too, but then
  // google-auth-library goes looking for a project id first (env, `gcloud`,
  // the GCE metadata server): ~2 s on the first call here, longer where the
  // metadata address blackholes, all of it eaten from the call's timeout.
  if (google.credentials.kind === 'api_key') {
    // Sent as the x-goog-api-key header (REST) or metadata (gRPC), never in the URL.
    options.authClient = new googleAuthLibrary.JWT({ apiKey: google.credentials.apiKey });
  } else {
    const sa = google.credentials.serviceAccount;
    // A JWT client rather than `credentials`/`keyFilename`, which the auth library
    // deprecates; self-signed JWTs with scope need no round trip to a token server.
    const jwt = new googleAuthLibrary.JWT({ email: sa.clientEmail, key: sa.privateKey, scopes: SCOPES });
    jwt.useJWTAccessWithScope = true;
    options.authClient = jwt;
    if (sa.projectId) options.projectId = sa.projectId;
  }
  return options;
}
