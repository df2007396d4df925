import { Injectable } from '@nestjs/common';
import type { SlidePictureInfo, SpeechTiming } from '@app/common';
import { EntityManager } from 'typeorm';
import { Prompt } from '../entities/prompt.entity.js';
import { Slide } from '../entities/slide.entity.js';

export type NewSlide = Pick<Slide, 'title' | 'bullets' | 'text' | 'visual'>;

/** A slide with its narration, as the stitch stage needs it; nulls where a step has not run yet. */
export interface SlideForStitch {
  slideNumber: number;
  title: string;
  text: string;
  imageUrl: string | null;
  audioUrl: string | null;
  duration: number | null;
  /** When each part of the narration is spoken; null for voiceovers made before it was measured. */
  timing: SpeechTiming | null;
}

@Injectable()
export class SlideRepository {
  constructor(private readonly manager: EntityManager) {}

  listForPrompt(promptId: string): Promise<Slide[]> {
    return this.manager.find(Slide, { where: { promptId }, order: { slideNumber: 'ASC' } });
  }

  findByNumber(promptId: string, slideNumber: number): Promise<Slide | null> {
    return this.manager.findOneBy(Slide, { promptId, slideNumber });
  }

  /**
   * Replaces a prompt's deck in one transaction (numbered from 1, in order) and records
   * whether it came from the cache. Only safe before voicing: voiceovers of the old slides go with them.
   */
  async replaceDeck(promptId: string, slides: NewSlide[], fromCache: boolean): Promise<void> {
    await this.manager.transaction(async (em) => {
      await em.delete(Slide, { promptId });
      await em.insert(
        Slide,
        slides.map((s, i) => ({ promptId, slideNumber: i + 1, title: s.title, bullets: s.bullets, text: s.text, visual: s.visual })),
      );
      await em.update(Prompt, { id: promptId }, { isCached: fromCache });
    });
  }

  /** The rendered slide image and the picture drawn on it, together: a retry skips a slide only when both are there. */
  async setImage(slideId: string, imageUrl: string, picture: SlidePictureInfo): Promise<void> {
    await this.manager.update(Slide, { id: slideId }, { imageUrl, picture });
  }

  /** Where each slide sits in the finished video (1-based slide numbers, in order), for chapters and the slides endpoint. */
  async setTimes(promptId: string, windows: { startSeconds: number; endSeconds: number }[]): Promise<void> {
    if (!windows.length) return;
    await this.manager.query(
      `UPDATE slides s SET start_seconds = w.start_seconds, end_seconds = w.end_seconds
         FROM unnest($2::double precision[], $3::double precision[]) WITH ORDINALITY AS w(start_seconds, end_seconds, n)
        WHERE s.prompt_id = $1 AND s.slide_number = w.n`,
      [promptId, windows.map((w) => w.startSeconds), windows.map((w) => w.endSeconds)],
    );
  }

  /** Every slide of the prompt in order, with its voiceover when there is one. */
  async findForStitch(promptId: string): Promise<SlideForStitch[]> {
    const rows = await this.manager.query<
      {
        slide_number: number;
        title: string;
        text: string;
        image_url: string | null;
        audio_url: string | null;
        duration: number | null;
        timing: SpeechTiming | null;
      }[]
    >(
      `SELECT s.slide_number, s.title, s.text, s.image_url, v.audio_url, v.duration, v.timing
         FROM slides s LEFT JOIN voiceovers v ON v.slide_id = s.id
        WHERE s.prompt_id = $1 ORDER BY s.slide_number`,
      [promptId],
    );
    return rows.map((r) => ({
      slideNumber: r.slide_number,
      title: r.title,
      text: r.text,
      imageUrl: r.image_url,
      audioUrl: r.audio_url,
      duration: r.duration,
      timing: r.timing ?? null,
    }));
  }
}
