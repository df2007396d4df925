import { Injectable } from '@nestjs/common';
import { Narrator } from '@app/ai';
import { MediaRunner } from '@app/media';
import { InfraChecks, Readiness, type ReadinessCheck, type ReadinessReport } from '@app/observability';

/** Programs on disk do not come and go between probes: each is started at most every 30 s. */
const PROGRAM_CHECK_CACHE_MS = 30_000;

/**
 * A worker is ready when it can do every step: PostgreSQL, Redis and the storage
 * answer, ffmpeg and ffprobe run, and the configured narrator can (Festival loads its voice
 * and espeak-ng runs, for TTS_PROVIDER=festival; espeak-ng runs;
 * a remote engine is not called). Redis is asked at every probe, so a worker reports
 * not ready while Redis is down and ready as soon as it is back.
 */
@Injectable()
export class WorkerReadiness {
  constructor(
    private readonly readiness: Readiness,
    private readonly infra: InfraChecks,
    private readonly media: MediaRunner,
    private readonly narrator: Narrator,
  ) {}

  report(): Promise<ReadinessReport> {
    const program = (command: 'ffmpeg' | 'ffprobe'): ReadinessCheck => ({
      run: async (signal) => void (await this.media.run(command, ['-hide_banner', '-version'], { signal })),
      cacheMs: PROGRAM_CHECK_CACHE_MS,
    });
    return this.readiness.report({
      ...this.infra.all(),
      ffmpeg: program('ffmpeg'),
      ffprobe: program('ffprobe'),
      tts: { run: (signal) => this.narrator.ready(signal), cacheMs: PROGRAM_CHECK_CACHE_MS },
    });
  }
}
