// The middle tier of tests (after Immich's server/test/medium.factory.ts): the worker's
// stages built in this process from their real dependencies — a migrated test database,
// real Redis queues on a private prefix, a LocalDiskStorage in a temp directory, the
// offline writer, espeak-ng, the canvas renderer — with any one of them replaced per spec.
// No worker process and no build step: a spec calls a stage or StageRunner directly.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplicationContext, Logger, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { FlowProducer, type Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AiModule, GenerationCache, ImageSource, Narrator, SlideWriter } from '@app/ai';
import {
  parseDatabaseConfig,
  parseLlmConfig,
  parseRedisConfig,
  parseStorageConfig,
  parseTtsConfig,
  parseImageConfig,
  parseWorkerConfig,
} from '@app/config';
import {
  DbModule,
  type Prompt,
  PromptRepository,
  SlideRepository,
  UserRepository,
  type Video,
  VideoRepository,
  VideoStatus,
  VoiceoverRepository,
} from '@app/db';
import { ALL_QUEUES, CancellationBus, jobIdOf, type PipelineJob, PipelineService, QueueName, redisOptions, toBullJob } from '@app/jobs';
import { CaptionBurner, CaptionRenderer, MediaRunner, SegmentEncoder, SlideRenderer, SpawnMediaRunner, VideoStitcher } from '@app/media';
import { MetricsRegistry, WorkerMetrics } from '@app/observability';
import { LocalDiskStorage, type Storage } from '@app/storage';
import { DeckStage } from '../../apps/worker/src/stages/deck.stage.js';
import { SlidePictureService } from '../../apps/worker/src/stages/slide-picture.service.js';
import { LiveVideo } from '../../apps/worker/src/stages/live-video.service.js';
import { SlideSegments } from '../../apps/worker/src/stages/slide-segments.service.js';
import { StageRunner } from '../../apps/worker/src/stages/stage-runner.service.js';
import { VideoFailures } from '../../apps/worker/src/lifecycle/video-failures.service.js';
import { StitchStage } from '../../apps/worker/src/stages/stitch.stage.js';
import { VoiceStage } from '../../apps/worker/src/stages/voice.stage.js';
import { deleteKeysUnder } from '../support/redis-keys.js';
import { createTestDatabase, type TestDatabase, uniquePrefix } from '../support/test-db.js';

/** Everything the worker's stages are made of, by name; a spec may replace any entry. */
export interface WorkerGraph {
  config: ConfigService;
  metrics: WorkerMetrics;
  videos: VideoRepository;
  prompts: PromptRepository;
  slides: SlideRepository;
  voiceovers: VoiceoverRepository;
  storage: Storage;
  pipeline: PipelineService;
  writer: SlideWriter;
  narrator: Narrator;
  cache: GenerationCache;
  renderer: SlideRenderer;
  imageSource: ImageSource;
  pictures: SlidePictureService;
  mediaRunner: MediaRunner;
  stitcher: VideoStitcher;
  captionBurner: CaptionBurner;
  segmentEncoder: SegmentEncoder;
  segments: SlideSegments;
  live: LiveVideo;
  stageRunner: StageRunner;
  deckStage: DeckStage;
  voiceStage: VoiceStage;
  stitchStage: StitchStage;
}

type Get = <K extends keyof WorkerGraph>(key: K) => WorkerGraph[K];

/** How each entry is made by default, from the others; the constructors mirror worker.module.ts. */
function defaults(infra: MediumInfra): { [K in keyof WorkerGraph]: (get: Get) => WorkerGraph[K] } {
  const manager = infra.dataSource.manager;
  return {
    config: () => infra.config,
    metrics: () => infra.metrics,
    videos: () => new VideoRepository(manager),
    prompts: () => new PromptRepository(manager),
    slides: () => new SlideRepository(manager),
    voiceovers: () => new VoiceoverRepository(manager),
    storage: () => infra.storage,
    pipeline: (get) =>
      new PipelineService(
        infra.queues[QueueName.Slides],
        infra.queues[QueueName.Voice],
        infra.queues[QueueName.Stitch],
        infra.flows,
        infra.bus,
        get('config'),
      ),
    // The AI providers as AiModule wires them (whatever their constructors need); the cache
    // keeps StorageModule's own LocalDiskStorage, on the same directory as `storage`.
    writer: () => infra.nest.get(SlideWriter),
    narrator: () => infra.nest.get(Narrator),
    cache: () => infra.nest.get(GenerationCache),
    renderer: () => new SlideRenderer(),
    imageSource: () => infra.nest.get(ImageSource),
    pictures: (get) => new SlidePictureService(get('imageSource'), get('cache'), get('videos'), get('metrics')),
    mediaRunner: () => new SpawnMediaRunner(),
    stitcher: (get) => new VideoStitcher(get('mediaRunner')),
    captionBurner: () => new CaptionBurner(new CaptionRenderer()),
    segmentEncoder: (get) => new SegmentEncoder(get('mediaRunner'), get('captionBurner')),
    segments: (get) => new SlideSegments(get('storage'), get('segmentEncoder'), get('live'), get('config')),
    live: (get) => new LiveVideo(get('videos'), get('prompts')),
    stageRunner: (get) => new StageRunner(get('live'), new VideoFailures(get('videos'), get('metrics')), get('storage'), get('metrics'), get('config')),
    deckStage: (get) =>
      new DeckStage(
        get('live'),
        get('videos'),
        get('slides'),
        get('writer'),
        get('cache'),
        get('renderer'),
        get('pictures'),
        get('storage'),
        get('pipeline'),
        get('metrics'),
      ),
    voiceStage: (get) =>
      new VoiceStage(
        get('live'),
        get('videos'),
        get('slides'),
        get('voiceovers'),
        get('narrator'),
        get('cache'),
        get('storage'),
        get('metrics'),
        get('segments'),
        get('config'),
      ),
    stitchStage: (get) =>
      new StitchStage(
        get('live'),
        get('videos'),
        get('slides'),
        get('stitcher'),
        get('captionBurner'),
        get('storage'),
        get('metrics'),
        get('segments'),
        get('config'),
      ),
  };
}

/** What one spec file owns and must give back: a database, a queue prefix, a storage directory. */
export interface MediumInfra {
  db: TestDatabase;
  /** ConfigModule, DbModule and AiModule, as the worker imports them. */
  nest: INestApplicationContext;
  dataSource: DataSource;
  config: ConfigService;
  /** One registry for the file's stages (the worker has one per process). */
  metrics: WorkerMetrics;
  storageDir: string;
  storage: LocalDiskStorage;
  prefix: string;
  redisUrl: string;
  queues: Record<QueueName, Queue>;
  flows: FlowProducer;
  bus: CancellationBus;
}

export interface NewVideoOptions {
  slideCount?: number;
  status?: VideoStatus;
  progress?: number;
  prompt?: string;
  /** BCP-47 tag of the narration (default en-US). */
  language?: string;
}

/**
 * One spec file's world. Typical use:
 *   ctx = await MediumContext.create();                  // beforeAll
 *   const { video } = await ctx.newVideo();
 *   const { deckStage } = ctx.build({ writer: counting }); // real everything else
 *   await ctx.close();                                    // afterAll
 */
export class MediumContext {
  private constructor(readonly infra: MediumInfra) {}

  /** One per spec file (beforeAll); close() in afterAll. `env` adds or overrides settings (e.g. IMAGE_PROVIDER). */
  static async create(overrides: Record<string, string> = {}): Promise<MediumContext> {
    // The stages log every skip and retry; a passing spec stays quiet, a failing one still shows errors.
    Logger.overrideLogger(process.env.MEDIUM_LOGS ? ['log', 'warn', 'error'] : ['error']);
    const db = await createTestDatabase();
    const storageDir = await mkdtemp(join(tmpdir(), 'blinked-medium-'));
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: uniquePrefix(),
      STORAGE_DIR: join(storageDir, 'store'),
      WORK_DIR: join(storageDir, 'work'),
      LLM_PROVIDER: 'offline',
      TTS_PROVIDER: 'espeak',
      JOB_BACKOFF_MS: '10',
      ...overrides,
    };
    // The real parsers, so everything reads the same shapes of configuration as in production.
    const namespaces = {
      database: parseDatabaseConfig(env),
      redis: parseRedisConfig(env),
      storage: parseStorageConfig(env),
      llm: parseLlmConfig(env),
      tts: parseTtsConfig(env),
      image: parseImageConfig(env),
      worker: parseWorkerConfig(env),
    };
    @Module({
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => namespaces] }),
        DbModule.forRoot({ migrationsRun: false }),
        AiModule,
      ],
    })
    class MediumHostModule {}
    const nest = await NestFactory.createApplicationContext(MediumHostModule, { logger: ['error'] });
    const config = nest.get(ConfigService);
    const dataSource = nest.get(DataSource);
    const connection = redisOptions(namespaces.redis, 'worker');
    const prefix = env.QUEUE_PREFIX;
    const queues = Object.fromEntries(ALL_QUEUES.map((name) => [name, new Queue(name, { connection, prefix })])) as Record<QueueName, Queue>;
    const flows = new FlowProducer({ connection, prefix });
    const bus = new CancellationBus(namespaces.redis, `${prefix}:cancel`);
    const storage = new LocalDiskStorage(env.STORAGE_DIR);
    const metrics = new WorkerMetrics(new MetricsRegistry());
    return new MediumContext({ db, nest, dataSource, config, metrics, storageDir, storage, prefix, redisUrl: env.REDIS_URL, queues, flows, bus });
  }

  /** The worker's stages over this context's infrastructure, with `overrides` in place of the defaults. */
  build(overrides: Partial<WorkerGraph> = {}): WorkerGraph {
    const make = defaults(this.infra);
    const built: Partial<WorkerGraph> = { ...overrides };
    const get: Get = (key) => (built[key] ??= make[key](get));
    for (const key of Object.keys(make) as (keyof WorkerGraph)[]) get(key);
    return built as WorkerGraph;
  }

  get repos() {
    const manager = this.infra.dataSource.manager;
    return { videos: new VideoRepository(manager), prompts: new PromptRepository(manager), users: new UserRepository(manager) };
  }

  /** A user's new video, written the way the api writes it; optionally moved on to a later status. */
  async newVideo(options: NewVideoOptions = {}): Promise<{ video: Video; prompt: Prompt }> {
    const name = `m${Math.random().toString(36).slice(2, 10)}`;
    const user = await this.repos.users.create({ email: `${name}@example.com`, username: name, passwordHash: 'x'.repeat(60) });
    const created = await this.repos.videos.createWithPrompt(
      user.id,
      // Unique by default, so one spec's deck is never another's generation-cache hit.
      { title: '', content: options.prompt ?? `Why is the sky blue? Sunlight scatters off air molecules. Blue light scatters most. Ask ${name}.` },
      {
        title: 'Why is the sky blue',
        slideCount: options.slideCount ?? 3,
        aspectRatio: '16:9',
        language: options.language ?? 'en-US',
        voice: null,
        theme: 'light',
      },
    );
    if (options.status || options.progress) {
      await this.infra.db.query('UPDATE videos SET status = $2, progress = $3 WHERE id = $1', [
        created.video.id,
        options.status ?? VideoStatus.Queued,
        options.progress ?? 0,
      ]);
    }
    return { video: await this.repos.videos.getById(created.video.id), prompt: created.prompt };
  }

  video(id: string): Promise<Video | null> {
    return this.repos.videos.findById(id);
  }

  /** Deletes a video as the api does (its prompt, and by cascade the rest). */
  async deleteVideo(video: Pick<Video, 'promptId'>): Promise<void> {
    await this.repos.prompts.deleteWithVideo(video.promptId);
  }

  async cancelVideo(id: string): Promise<void> {
    await this.infra.db.query(`UPDATE videos SET status = 'cancelled' WHERE id = $1`, [id]);
  }

  /**
   * A pipeline job added to its real queue with the production options, and read back
   * from Redis. `attemptsMade` is what BullMQ's worker holds on a retry: that many
   * attempts already failed.
   */
  async addJob(pipelineJob: PipelineJob, attemptsMade = 0): Promise<Job> {
    const { queueName, name, data, opts } = toBullJob(pipelineJob, 10);
    const queue = this.infra.queues[queueName];
    await queue.add(name, data, opts);
    const job = await queue.getJob(jobIdOf(pipelineJob));
    if (!job) throw new Error(`job ${jobIdOf(pipelineJob)} was not stored`);
    job.attemptsMade = attemptsMade;
    return job;
  }

  queue(name: QueueName): Queue {
    return this.infra.queues[name];
  }

  /** Gives back everything: queues obliterated and closed, keys gone, database dropped, files removed. */
  async close(): Promise<void> {
    const { queues, flows, bus, nest, db, storageDir, prefix, redisUrl } = this.infra;
    await Promise.allSettled(Object.values(queues).map((q) => q.obliterate({ force: true })));
    await Promise.allSettled([...Object.values(queues).map((q) => q.close()), flows.close(), bus.onModuleDestroy()]);
    await deleteKeysUnder(redisUrl, prefix);
    await nest.close();
    await db.drop();
    await rm(storageDir, { recursive: true, force: true });
  }
}
