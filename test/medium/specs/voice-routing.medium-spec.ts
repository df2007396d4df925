import type { OnModuleDestroy } from '@nestjs/common';
import { createNarrator, type Narrator, writtenWordsOf } from '@app/ai';
import { parseTtsConfig } from '@app/config';
import { SpawnMediaRunner } from '@app/media';
import { MediumContext } from '../medium.factory.js';

/**
 * TTS_PROVIDER=festival end to end through the voice stage, with the real engines: English is
 * spoken by Festival with word timings, any other language by espeak-ng with phrase timings,
 * and the video, the voiceover and the cache all name the engine that actually spoke.
 */
describe('VoiceStage with TTS_PROVIDER=festival', () => {
  let ctx: MediumContext;
  const narrators: Narrator[] = [];

  beforeAll(async () => {
    ctx = await MediumContext.create();
  });
  afterAll(async () => {
    // Festival's warm processes end with the narrator, as they do when the worker shuts down.
    await Promise.all(narrators.map((n) => (n as Partial<OnModuleDestroy>).onModuleDestroy?.()));
    await ctx?.close();
  });

  function festivalNarrator() {
    const workDir = ctx.infra.config.getOrThrow<{ workDir: string }>('worker').workDir;
    const narrator = createNarrator(parseTtsConfig({ TTS_PROVIDER: 'festival' }), { runner: new SpawnMediaRunner(), workDir });
    narrators.push(narrator);
    return narrator;
  }

  async function voiceFirstSlide(language: string, prompt: string) {
    const { video, prompt: p } = await ctx.newVideo({ slideCount: 3, language, prompt });
    await ctx.build().deckStage.run(video.id);
    const { voiceStage } = ctx.build({ narrator: festivalNarrator() });
    await voiceStage.run(video.id, 1);
    const [voiceover] = await ctx.infra.db.query<{ text: string; timing: any; audio_url: string }>(
      `SELECT v.text, v.timing, v.audio_url FROM voiceovers v JOIN slides s ON s.id = v.slide_id WHERE s.prompt_id = $1 AND s.slide_number = 1`,
      [p.id],
    );
    const [cached] = await ctx.infra.db.query<{ provider: string }>(`SELECT provider FROM generation_cache WHERE storage_key = $1`, [
      voiceover!.audio_url,
    ]);
    return { video: (await ctx.video(video.id))!, voiceover: voiceover!, cachedProvider: cached?.provider };
  }

  it('speaks an English video with Festival and stores a mark for every written word', async () => {
    const { video, voiceover, cachedProvider } = await voiceFirstSlide(
      'en-US',
      'Honey never spoils. Archaeologists found 3000-year-old honey, still edible.',
    );
    expect(video.ttsProvider).toBe('festival');
    expect(cachedProvider).toBe('festival');
    expect(voiceover.timing.granularity).toBe('word');
    expect(voiceover.timing.marks.map((m: { text: string }) => m.text)).toEqual(writtenWordsOf(voiceover.text));
  }, 120_000);

  it('speaks a de-DE video with espeak-ng, records espeak, and times it by phrase', async () => {
    const { video, voiceover, cachedProvider } = await voiceFirstSlide('de-DE', 'Honig verdirbt nie. Archäologen fanden alten Honig, noch essbar.');
    expect(video.ttsProvider).toBe('espeak');
    expect(cachedProvider).toBe('espeak');
    expect(voiceover.timing.granularity).toBe('phrase');
    expect(voiceover.timing.marks.length).toBeGreaterThan(0);
    expect(voiceover.timing.marks.map((m: { text: string }) => m.text).join(' ')).toBe(voiceover.text.split(/\s+/).filter(Boolean).join(' '));
  }, 120_000);
});
