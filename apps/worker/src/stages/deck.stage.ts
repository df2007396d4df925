import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deckCacheKey, GenerationCache, SlideWriter } from '@app/ai';
import { Prompt, Slide, VideoStatus } from '@app/db';
import { PipelineService } from '@app/jobs';
import { type AspectRatio, SlideRenderer } from '@app/media';
import { Storage, videoKeys } from '@app/storage';
import { VideoState } from '../video-state.service.js';

/**
 * Stage 1: prompt → validated deck → slide rows → one PNG per slide → the
 * voice/stitch flow. Each step skips work whose output is already stored, so a
 * retry continues where the last attempt stopped.
 */
@Injectable()
export class DeckStage {
  private readonly logger = new Logger(DeckStage.name);

  constructor(
    private readonly db: DataSource,
    private readonly state: VideoState,
    private readonly writer: SlideWriter,
    private readonly cache: GenerationCache,
    private readonly renderer: SlideRenderer,
    private readonly storage: Storage,
    private readonly pipeline: PipelineService,
  ) {}

  async run(videoId: string, signal?: AbortSignal): Promise<{ slides: number }> {
    const { video, prompt } = await this.state.load(videoId);
    await this.state.advance(videoId, VideoStatus.GeneratingSlides, 'Writing the slides', 2);

    let slides = await this.slidesOf(prompt.id);
    if (slides.length !== video.slideCount) {
      const request = { prompt: prompt.content, title: prompt.title || undefined, slideCount: video.slideCount, language: video.language, signal };
      const key = deckCacheKey({ ...request, provider: this.writer.provider, model: this.writer.model, templateVersion: this.writer.templateVersion });
      const result = await this.cache.deck(key, this.writer.provider, this.writer.model, () => this.writer.write(request));
      await this.state.ensureLive(videoId);
      await this.db.transaction(async (em) => {
        // No voiceover exists yet at this stage, so replacing a partial deck loses nothing.
        await em.delete(Slide, { promptId: prompt.id });
        await em.insert(
          Slide,
          result.deck.slides.map((s, i) => ({ promptId: prompt.id, slideNumber: i + 1, title: s.title, bullets: s.bullets, text: s.narration })),
        );
        await em.update(Prompt, { id: prompt.id }, { isCached: result.hit });
      });
      await this.state.setProviders(videoId, { llmProvider: this.writer.provider, llmModel: this.writer.model });
      if (!prompt.title) await this.state.retitle(videoId, video.title, result.deck.title);
      await this.state.addUsage(videoId, {
        llmInputTokens: result.inputTokens,
        llmOutputTokens: result.outputTokens,
        ...(result.hit ? { cacheHits: 1 } : { cacheMisses: 1 }),
      });
      this.logger.log(`video ${videoId}: deck of ${result.deck.slides.length} slides (${result.hit ? 'cache hit' : this.writer.provider})`);
      slides = await this.slidesOf(prompt.id);
    }
    await this.state.report(videoId, VideoStatus.GeneratingSlides, 'Rendering the slides', 8);

    const deckTitle = (await this.state.load(videoId)).video.title; // the deck's own title, when it replaced the derived one
    for (const [i, slide] of slides.entries()) {
      signal?.throwIfAborted();
      const key = videoKeys.slideImage(videoId, slide.slideNumber);
      if (slide.imageUrl !== key || !(await this.storage.stat(key))) {
        const png = await this.renderer.render({
          deckTitle,
          title: slide.title,
          bullets: slide.bullets,
          index: i,
          total: slides.length,
          aspectRatio: video.aspectRatio as AspectRatio,
          theme: video.theme,
        });
        await this.state.ensureLive(videoId);
        await this.storage.put(key, png);
        await this.db.getRepository(Slide).update({ id: slide.id }, { imageUrl: key });
      }
      await this.state.report(videoId, VideoStatus.GeneratingSlides, `Rendered slide ${i + 1} of ${slides.length}`, 8 + (17 * (i + 1)) / slides.length);
    }

    await this.state.ensureLive(videoId);
    // Status first: voice jobs (maybe in another process) report progress only once it says generating_voice.
    await this.state.advance(videoId, VideoStatus.GeneratingVoice, `Voicing ${slides.length} slides`, 25);
    await this.pipeline.voiceThenStitch(videoId, slides.map((s) => s.slideNumber));
    return { slides: slides.length };
  }

  private slidesOf(promptId: string): Promise<Slide[]> {
    return this.db.getRepository(Slide).find({ where: { promptId }, order: { slideNumber: 'ASC' } });
  }
}
