import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { GenerationCache, IconsImageSource, imageCacheKey, ImageSource, ProviderError, type ImageRequest, type ImageResult } from '@app/ai';
import type { AspectRatio, SlidePictureInfo, SlideVisual } from '@app/common';
import { VideoRepository } from '@app/db';
import type { SlidePicture } from '@app/media';
import { WorkerMetrics } from '@app/observability';
import { meteredCall } from '../observability/metered-call.js';

export interface PictureRequest {
  videoId: string;
  /** The slide's visual; null for a deck stored before pictures, which is then searched by its title. */
  visual: SlideVisual | null;
  title: string;
  aspectRatio: AspectRatio;
  language: string;
  signal?: AbortSignal;
}

export interface PickedPicture {
  /** What the renderer draws; undefined for no picture (IMAGE_PROVIDER=none). */
  picture?: SlidePicture;
  /** What slides.picture records and the api reports. */
  info: SlidePictureInfo;
}

const NO_PICTURE: PickedPicture = { info: { kind: 'none', source: '', attribution: null } };

/**
 * The picture for one slide: from the configured source (through the generation cache when
 * the source is remote), else an icon. A picture is decoration: a provider that fails or
 * finds nothing costs the slide its photo, never the video. Cancellation and our own
 * outages (database, storage) are not provider failures and propagate as everywhere else.
 */
@Injectable()
export class SlidePictureService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SlidePictureService.name);
  /** The fallback: local, always answers. */
  private readonly icons = new IconsImageSource();

  constructor(
    private readonly source: ImageSource,
    private readonly cache: GenerationCache,
    private readonly videos: VideoRepository,
    private readonly metrics: WorkerMetrics,
  ) {}

  /** The icon index is the fallback of every source but none: built while the worker waits for its first job. */
  onApplicationBootstrap(): void {
    if (this.source.provider === 'none') return;
    this.icons
      .prepare()
      .catch((error: unknown) => this.logger.warn(`icon index not built ahead: ${(error as Error).message}; the first picture builds it`));
  }

  get provider(): string {
    return this.source.provider;
  }

  async pick(request: PictureRequest): Promise<PickedPicture> {
    if (this.source.provider === 'none') return NO_PICTURE;
    const image: ImageRequest = {
      keywords: request.visual?.keywords ?? [request.title],
      prompt: request.visual?.prompt ?? request.title,
      aspectRatio: request.aspectRatio,
      language: request.language,
      signal: request.signal,
    };
    let found: ImageResult | null = null;
    try {
      found = await this.fromSource(request.videoId, image);
      if (!found) this.logger.warn(`video ${request.videoId}: ${this.source.provider} found no picture for "${request.title}"; using an icon`);
    } catch (error) {
      request.signal?.throwIfAborted();
      if (!(error instanceof ProviderError)) throw error;
      this.logger.warn(`video ${request.videoId}: picture from ${this.source.provider} failed (${error.message}); using an icon`);
    }
    found ??= await meteredCall(this.metrics, 'image', this.icons.provider, () => this.icons.find(image));
    return toPicked(found);
  }

  private async fromSource(videoId: string, request: ImageRequest): Promise<ImageResult | null> {
    const { provider, model } = this.source;
    const call = () => meteredCall(this.metrics, 'image', provider, () => this.source.find(request));
    if (!this.source.cacheable) return call();
    const key = imageCacheKey({ provider, model, keywords: request.keywords, prompt: request.prompt, aspectRatio: request.aspectRatio });
    const result = await this.cache.image(key, provider, model, call);
    this.metrics.cacheLookups.inc({ kind: 'image', result: result.hit ? 'hit' : 'miss' });
    // Counted when paid for: a miss that brought a picture (an empty answer costs nothing on the sources we have).
    if (!result.hit && result.image) await this.videos.addUsage(videoId, { images: 1 });
    return result.image;
  }
}

function toPicked(image: ImageResult): PickedPicture {
  return {
    picture: { kind: image.kind, data: image.data, ...(image.attribution ? { attribution: image.attribution } : {}) },
    info: { kind: image.kind, source: image.source, attribution: image.attribution },
  };
}
