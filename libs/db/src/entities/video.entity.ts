import type { CaptionMode, CaptionStyle } from '@app/common';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Values are stored and returned by the API: once shipped, never renamed. */
export enum VideoStatus {
  Queued = 'queued',
  GeneratingSlides = 'generating_slides',
  GeneratingVoice = 'generating_voice',
  Rendering = 'rendering',
  Completed = 'completed',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

export const TERMINAL_STATUSES: readonly VideoStatus[] = [VideoStatus.Completed, VideoStatus.Failed, VideoStatus.Cancelled];

/** What one video cost; returned as `usage`. */
export interface VideoUsage {
  llmInputTokens: number;
  llmOutputTokens: number;
  ttsCharacters: number;
  cacheHits: number;
  cacheMisses: number;
  /** Pictures fetched or generated for this video's slides (cache hits not included). */
  images: number;
}

@Entity({ name: 'videos' })
export class Video {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'prompt_id', type: 'uuid' })
  promptId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  /** The client's own labels (flat, string values; the api checks the limits), returned as they were given. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  metadata: Record<string, string>;

  @Column({ type: 'varchar', length: 32, default: VideoStatus.Queued })
  status: VideoStatus;

  /** Words for the user: what is happening now ("Voicing slide 3 of 6"). */
  @Column({ type: 'varchar', length: 200, default: 'Waiting in the queue' })
  stage: string;

  /** 0..100, only ever raised (the UPDATE uses GREATEST). */
  @Column({ type: 'smallint', default: 0 })
  progress: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'slide_count', type: 'int' })
  slideCount: number;

  @Column({ name: 'aspect_ratio', type: 'varchar', length: 8, default: '16:9' })
  aspectRatio: string;

  @Column({ type: 'varchar', length: 35, default: 'en-US' })
  language: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  voice: string | null;

  @Column({ type: 'varchar', length: 32, default: 'light' })
  theme: string;

  @Column({ name: 'llm_provider', type: 'varchar', length: 32, nullable: true })
  llmProvider: string | null;

  @Column({ name: 'llm_model', type: 'varchar', length: 100, nullable: true })
  llmModel: string | null;

  @Column({ name: 'tts_provider', type: 'varchar', length: 32, nullable: true })
  ttsProvider: string | null;

  @Column({ name: 'image_provider', type: 'varchar', length: 32, nullable: true })
  imageProvider: string | null;

  /** `burned` into the frames or `sidecar` beside them. */
  @Column({ type: 'varchar', length: 8, default: 'sidecar' })
  captions: CaptionMode;

  @Column({ name: 'caption_style', type: 'varchar', length: 8, default: 'phrase' })
  captionStyle: CaptionStyle;

  /** Storage key of the MP4 once completed. */
  @Column({ name: 'video_url', type: 'text', nullable: true })
  videoUrl: string | null;

  @Column({ name: 'thumbnail_url', type: 'text', nullable: true })
  thumbnailUrl: string | null;

  @Column({ name: 'captions_url', type: 'text', nullable: true })
  captionsUrl: string | null;

  /** Seconds, measured from the final file. */
  @Column({ type: 'double precision', nullable: true })
  duration: number | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  usage: Partial<VideoUsage>;

  /** Times the worker's reconciler re-enqueued this video after Redis lost its jobs. */
  @Column({ type: 'smallint', default: 0 })
  restarts: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /**
   * Raised by a trigger on every UPDATE of the row (migration 1772000000000), so no
   * statement can forget it: orders the snapshots of the video's public state in Redis
   * and is part of its ETag. A bigint: TypeORM reads it as a string.
   */
  @Column({ type: 'bigint', default: 0, insert: false, update: false })
  version: string;
}
