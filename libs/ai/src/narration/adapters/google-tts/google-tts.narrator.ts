import { protos, v1beta1 } from '@google-cloud/text-to-speech';
import type { SpeechMark } from '@app/common';
import { type AudioJoiner, joinWav } from '../../audio-join.js';
import { Narrator, type NarrationRequest, type NarrationResult } from '../../narrator.port.js';
import { parseGoogleDuration } from '../../../errors/http-failure.js';
import { ProviderError, type ProviderFailureKind } from '../../../errors/provider.error.js';
import { oneLine, redactSecrets } from '../../../errors/redact.js';
import { type MarkedPiece, markedPieces, marksFromTimepoints, type Timepoint } from '../../ssml-marks.js';
import { GOOGLE_TTS_MAX_INPUT_BYTES } from '../../ssml.js';
import { wavDurationSeconds } from '../../wav.js';
import { type GoogleTtsNarratorConfig, googleTtsClientOptions } from './google-tts.client.js';

const PROVIDER = 'Google Text-to-Speech';

/** gRPC status codes (google.rpc.Code), as google-gax reports them on both transports. */
const Code = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** Google voice names begin with their language, e.g. en-US-Neural2-C. */
const LANGUAGE_PREFIX = /^([a-z]{2,3}-[a-z]{2,4})-/i;

/**
 * Google Text-to-Speech through the v1beta1 API, the one that reports SSML `<mark>`
 * timepoints (`enableTimePointing`): a mark before each word gives word timings measured
 * by the engine that spoke them.
 */
export class GoogleTtsNarrator extends Narrator {
  readonly provider = 'google';
  readonly audioFormat: NarrationResult['format'];
  private readonly client: v1beta1.TextToSpeechClient;
  private readonly apiKey?: string;
  /** Calls under way, so close() can cancel them and let the SDK unwind first. */
  private readonly inflight = new Map<AbortController, Promise<unknown>>();

  constructor(
    private readonly config: GoogleTtsNarratorConfig,
    /** MP3 parts are joined and measured with ffmpeg/ffprobe, through MediaRunner. */
    private readonly audio: AudioJoiner,
  ) {
    super();
    this.audioFormat = config.audioEncoding === 'LINEAR16' ? 'wav' : 'mp3';
    this.client = new v1beta1.TextToSpeechClient(googleTtsClientOptions(config));
    if (config.google?.credentials.kind === 'api_key') this.apiKey = config.google.credentials.apiKey;
  }

  /** The voice name to send, or undefined to let Google pick one for the language. */
  private voiceName(request: NarrationRequest): string | undefined {
    if (request.voice) return request.voice;
    const fallback = this.config.voice;
    // A configured default in another language would be rejected (or speak the
    // wrong language): then let Google choose by languageCode instead.
    const lang = fallback && LANGUAGE_PREFIX.exec(fallback)?.[1];
    if (lang && lang.toLowerCase() !== request.language.toLowerCase()) return undefined;
    return fallback;
  }

  async resolveVoice(request: NarrationRequest): Promise<string> {
    return `${request.language}:${this.voiceName(request) ?? 'default'}`;
  }

  async narrate(request: NarrationRequest): Promise<NarrationResult> {
    request.signal?.throwIfAborted();
    const voice = this.voiceName(request);
    const speakingRate = request.speakingRate ?? this.config.speakingRate;
    if (!(speakingRate >= 0.25 && speakingRate <= 4)) {
      throw new ProviderError(PROVIDER, 'permanent', `speaking rate must be between 0.25 and 4, got ${speakingRate}`);
    }
    const pieces = markedPieces(request.text, GOOGLE_TTS_MAX_INPUT_BYTES, GOOGLE_TTS_MAX_INPUT_BYTES, request.language);
    if (pieces.length === 0) throw new ProviderError(PROVIDER, 'permanent', 'the narration is empty');

    const encoding = this.config.audioEncoding;
    const parts: Buffer[] = [];
    const timepoints: Timepoint[][] = [];
    let characters = 0;
    // One piece after another: pieces of one slide share its rate limit, and the
    // queue already runs slides in parallel.
    for (const piece of pieces) {
      const spoken = await this.synthesize(request, { ssml: piece.ssml, voice, speakingRate });
      parts.push(spoken.audio);
      timepoints.push(spoken.timepoints);
      // Google bills SSML characters, tags included.
      characters += [...piece.ssml].length;
    }

    try {
      if (encoding === 'LINEAR16') {
        // Rewritten even for one part, so every WAV we store has a canonical 44-byte header.
        const audio = joinWav(parts);
        const durationSeconds = wavDurationSeconds(audio);
        const timing = wordTiming(pieces, timepoints, parts.map(wavDurationSeconds));
        return { audio, format: 'wav', durationSeconds, characters, timing };
      }
      const { audio, durationSeconds } = await this.audio.joinMp3(parts, request.signal);
      // Where each piece starts in the joined audio: measured per part (one part needs no probe).
      const partSeconds =
        parts.length === 1
          ? [durationSeconds]
          : await Promise.all(parts.map(async (p) => (await this.audio.probe(p, 'mp3', request.signal)).durationSeconds));
      return { audio, format: 'mp3', durationSeconds, characters, timing: wordTiming(pieces, timepoints, partSeconds) };
    } catch (e) {
      // A cancelled job killed ffmpeg: that is the caller's doing, not a provider failure.
      if (request.signal?.aborted) throw request.signal.reason;
      throw new ProviderError(PROVIDER, 'transient', `returned audio that could not be read or joined (${(e as Error).message})`);
    }
  }

  private async synthesize(
    request: NarrationRequest,
    input: { ssml: string; voice?: string; speakingRate: number },
  ): Promise<{ audio: Buffer; timepoints: Timepoint[] }> {
    const body: protos.google.cloud.texttospeech.v1beta1.ISynthesizeSpeechRequest = {
      input: { ssml: input.ssml },
      enableTimePointing: [protos.google.cloud.texttospeech.v1beta1.SynthesizeSpeechRequest.TimepointType.SSML_MARK],
      voice: { languageCode: request.language, ...(input.voice ? { name: input.voice } : {}) },
      audioConfig: { audioEncoding: this.config.audioEncoding, speakingRate: input.speakingRate },
    };
    const timeoutMs = this.config.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort('timeout'), timeoutMs);
    const onAbort = () => controller.abort(request.signal!.reason);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    // Rejects the moment either fires, whatever the transport does with the cancel.
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    aborted.catch(() => undefined); // an abort after the race settled must not be an unhandled rejection
    try {
      const call = this.client.synthesizeSpeech(body, { timeout: timeoutMs, retry: null, signal: controller.signal });
      const settled = call.then(
        () => undefined,
        () => undefined,
      );
      this.inflight.set(controller, settled);
      void settled.then(() => this.inflight.delete(controller));
      const [response] = await Promise.race([call, aborted]);
      const audio = response.audioContent;
      if (!audio || audio.length === 0) throw new ProviderError(PROVIDER, 'transient', 'returned no audio');
      return {
        audio: typeof audio === 'string' ? Buffer.from(audio, 'base64') : Buffer.from(audio),
        timepoints: response.timepoints ?? [],
      };
    } catch (e) {
      if (e instanceof ProviderError) throw e;
      // The caller cancelled (video deleted, job stopped): reject with its reason,
      // as fetch does, so it is not mistaken for a provider failure.
      if (request.signal?.aborted) throw request.signal.reason;
      if (controller.signal.aborted && controller.signal.reason === 'timeout') {
        throw new ProviderError(PROVIDER, 'transient', `did not answer within ${timeoutMs} ms`);
      }
      if (controller.signal.aborted && controller.signal.reason === 'closing') {
        throw new ProviderError(PROVIDER, 'transient', 'call cancelled: the worker is shutting down');
      }
      throw this.classify(e, request, input.voice);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Maps a google-gax error (either transport) to what the queue should do. */
  private classify(e: unknown, request: NarrationRequest, voice: string | undefined): ProviderError {
    const err = (e ?? {}) as GaxErrorShape;
    const code = typeof err.code === 'number' ? err.code : undefined;
    const http = typeof err.httpStatusCode === 'number' ? err.httpStatusCode : undefined;
    const raw = typeof err.details === 'string' && err.details ? err.details : (err.message ?? String(e));
    // gRPC messages come as "8 RESOURCE_EXHAUSTED: …"; the code is already classified.
    const google = oneLine(redactSecrets(raw.replace(/^\d+ [A-Z_]+: /, ''), [this.apiKey]));
    const said = google ? ` (Google said: ${google})` : '';
    const cause = new Error(`${PROVIDER} call failed: code ${code ?? '-'}, HTTP ${http ?? '-'}${said}`);
    const fail = (kind: ProviderFailureKind, message: string, retryAfterMs?: number) =>
      new ProviderError(PROVIDER, kind, message, retryAfterMs, { cause, timedOut: code === Code.DEADLINE_EXCEEDED });

    if (code === Code.RESOURCE_EXHAUSTED || http === 429) {
      return fail('rate_limited', `rate limit or quota exceeded${said}`, retryDelayMs(err.statusDetails));
    }
    const credentials = this.config.google?.credentials.kind === 'api_key' ? 'GOOGLE_TTS_API_KEY' : 'the service account in GOOGLE_TTS_CREDENTIALS_PATH';
    if (
      code === Code.UNAUTHENTICATED ||
      code === Code.PERMISSION_DENIED ||
      http === 401 ||
      http === 403 ||
      /^API_KEY_/.test(err.reason ?? '') ||
      /api key not valid/i.test(google)
    ) {
      return fail('permanent', `rejected the credentials: check ${credentials} and that the Text-to-Speech API is enabled for its project${said}`);
    }
    if (code === Code.INVALID_ARGUMENT || code === Code.FAILED_PRECONDITION || code === Code.OUT_OF_RANGE || http === 400) {
      if (/voice|language/i.test(google)) {
        return fail('permanent', `rejected the voice ${voice ?? '(default)'} for language ${request.language}${said}`);
      }
      return fail('permanent', `rejected the request${said}`);
    }
    if (code === Code.NOT_FOUND || code === Code.UNIMPLEMENTED || http === 404) {
      return fail('permanent', `the endpoint does not serve SynthesizeSpeech: check TTS_API_ENDPOINT${said}`);
    }
    // UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED, ABORTED, UNKNOWN, 5xx, resets,
    // refused connections: what a later attempt may cure.
    return fail('transient', `is unavailable or failed${said}`);
  }

  /**
   * Cancels calls under way (their narrate() rejects as transient, so the job is
   * retried elsewhere), gives the SDK a moment to unwind them, then closes the
   * channel / keep-alive sockets. Nest calls it on shutdown.
   */
  async close(): Promise<void> {
    for (const controller of this.inflight.keys()) controller.abort('closing');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(this.inflight.values()), new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    await this.client.close();
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }
}

/** One mark per written word, each piece's timepoints placed at where the piece starts. */
function wordTiming(
  pieces: readonly MarkedPiece[],
  timepoints: readonly Timepoint[][],
  partSeconds: readonly number[],
): { granularity: 'word'; marks: SpeechMark[] } {
  let offset = 0;
  const marks = pieces.flatMap((piece, i) => {
    const placed = marksFromTimepoints(piece, timepoints[i]!, offset, partSeconds[i]!);
    offset += partSeconds[i]!;
    return placed;
  });
  return { granularity: 'word', marks };
}

interface GaxErrorShape {
  code?: unknown;
  httpStatusCode?: unknown;
  message?: string;
  details?: unknown;
  reason?: string;
  statusDetails?: unknown;
}

/** RetryInfo.retryDelay from decoded status details: `{seconds, nanos}` (gax) or "1.5s" (raw JSON). */
export function retryDelayMs(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const d of details) {
    const delay = (d as { retryDelay?: unknown } | null)?.retryDelay;
    if (delay === undefined || delay === null) continue;
    if (typeof delay === 'string') {
      const ms = parseGoogleDuration(delay);
      if (ms !== undefined) return ms;
      continue;
    }
    const { seconds, nanos } = delay as { seconds?: unknown; nanos?: unknown };
    const ms = Number(seconds ?? 0) * 1000 + Number(nanos ?? 0) / 1e6;
    if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  }
  return undefined;
}
