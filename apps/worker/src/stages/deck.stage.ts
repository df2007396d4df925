import { Injectable, Logger } from '@nestjs/common';
import { deckCacheKey, GenerationCache, SlideWriter } from '@app/ai';
import { type Slide, SlideRepository, VideoRepository, VideoStatus } from '@app/db';
import { PipelineService } from '@app/jobs';
import { type AspectRatio, mapBounded, slideConcurrency, SlideRenderer } from '@app/media';
import { WorkerMetrics } from '@app/observability';
import { Storage, videoKeys } from '@app/storage';
import { meteredCall } from '../observability/metered-call.js';
import { LiveVideo } from './live-video.service.js';
import { SlidePictureService } from './slide-picture.service.js';

/**
 * Stage 1: prompt → validated deck → slide rows → a picture and one PNG per slide → the
 * voice/stitch flow. Each step skips work whose output is already stored, so a
 * retry continues where the last attempt stopped.
 */
@Injectable()
export class DeckStage {
  private readonly logger = new Logger(DeckStage.name);

  constructor(
    private readonly live: LiveVideo,
    private readonly videos: VideoRepository,
    private readonly slideRows: SlideRepository,
    private readonly writer: SlideWriter,
    private readonly cache: GenerationCache,
    private readonly renderer: SlideRenderer,
    private readonly pictures: SlidePictureService,
    private readonly storage: Storage,
    private readonly pipeline: PipelineService,
    private readonly metrics: WorkerMetrics,
  ) {}

  async run(videoId: string, signal?: AbortSignal): Promise<{ slides: number }> {
    const { video, prompt } = await this.live.load(videoId);
    await this.videos.advanceStatus(videoId, VideoStatus.GeneratingSlides, 'Writing the slides', 2);

    let slides = await this.slidesOf(prompt.id);
    if (slides.length !== video.slideCount) {
      const request = { prompt: prompt.content, title: prompt.title || undefined, slideCount: video.slideCount, language: video.language, signal };
      const key = deckCacheKey({ ...request, provider: this.writer.provider, model: this.writer.model, templateVersion: this.writer.templateVersion });
      const { provider, model } = this.writer;
      const result = await this.cache.deck(key, provider, model, () => meteredCall(this.metrics, 'llm', provider, () => this.writer.write(request)));
      this.metrics.cacheLookups.inc({ kind: 'deck', result: result.hit ? 'hit' : 'miss' });
      this.metrics.llmTokens.inc({ provider, model, direction: 'input' }, result.inputTokens);
      this.metrics.llmTokens.inc({ provider, model, direction: 'output' }, result.outputTokens);
      await this.live.ensureLive(videoId);
      // No voiceover exists yet at this stage, so replacing a partial deck loses nothing.
      await this.slideRows.replaceDeck(
        prompt.id,
        result.deck.slides.map((s) => ({ title: s.title, bullets: s.bullets, text: s.narration, visual: s.visual })),
        result.hit,
      );
      await this.videos.setProviders(videoId, { llmProvider: this.writer.provider, llmModel: this.writer.model });
      if (!prompt.title) await this.videos.retitle(videoId, video.title, result.deck.title);
      await this.videos.addUsage(videoId, {
        llmInputTokens: result.inputTokens,
        llmOutputTokens: result.outputTokens,
        ...(result.hit ? { cacheHits: 1 } : { cacheMisses: 1 }),
      });
      this.logger.log(`video ${videoId}: deck of ${result.deck.slides.length} slides (${result.hit ? 'cache hit' : this.writer.provider})`);
      slides = await this.slidesOf(prompt.id);
    }
    await this.videos.reportProgress(videoId, VideoStatus.GeneratingSlides, 'Rendering the slides', 8);

    const deckTitle = (await this.live.load(videoId)).video.title; // the deck's own title, when it replaced the derived one
    const aspectRatio = video.aspectRatio as AspectRatio;
    await this.videos.setProviders(videoId, { imageProvider: this.pictures.provider });
    // A few slides at once (render → upload → drop): one slide's encode and upload overlap the
    // next one's drawing and database writes, and no more than slideConcurrency() PNGs are held.
    let rendered = 0;
    const renderStarted = performance.now();
    await mapBounded(
      slides,
      slideConcurrency(),
      async (slide, i) => {
        const key = videoKeys.slideImage(videoId, slide.slideNumber);
        if (slide.imageUrl !== key || !slide.picture || !(await this.storage.stat(key))) {
          const { picture, info } = await this.pictures.pick({
            videoId,
            visual: slide.visual,
            title: slide.title,
            aspectRatio,
            language: video.language,
            signal,
          });
          const png = await this.renderer.render({
            deckTitle,
            title: slide.title,
            bullets: slide.bullets,
            index: i,
            total: slides.length,
            aspectRatio,
            theme: video.theme,
            picture,
            captionBand: video.captions === 'burned',
          });
          await this.live.ensureLive(videoId);
          await this.storage.put(key, png);
          await this.slideRows.setImage(slide.id, key, info);
        }
        // Counted as they finish, which is not always in order; progress only moves forward anyway.
        rendered++;
        await this.videos.reportProgress(
          videoId,
          VideoStatus.GeneratingSlides,
          `Rendered slide ${rendered} of ${slides.length}`,
          8 + (17 * rendered) / slides.length,
        );
      },
      signal,
    );

    this.logger.debug(`video ${videoId}: ${slides.length} slides rendered and stored in ${((performance.now() - renderStarted) / 1000).toFixed(3)} s`);
    await this.live.ensureLive(videoId);
    // Status first: voice jobs (maybe in another process) report progress only once it says generating_voice.
    await this.videos.advanceStatus(videoId, VideoStatus.GeneratingVoice, `Voicing ${slides.length} slides`, 25);
    await this.pipeline.voiceThenStitch(
      videoId,
      slides.map((s) => s.slideNumber),
    );
    return { slides: slides.length };
  }

  private slidesOf(promptId: string): Promise<Slide[]> {
    return this.slideRows.listForPrompt(promptId);
  }
}
