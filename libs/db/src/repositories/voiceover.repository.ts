import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Voiceover } from '../entities/voiceover.entity.js';

/** `timing` absent is stored as null (a voiceover with no measured timings). */
export type NewVoiceover = Pick<Voiceover, 'slideId' | 'audioUrl' | 'duration' | 'text' | 'voice'> & Partial<Pick<Voiceover, 'timing'>>;

@Injectable()
export class VoiceoverRepository {
  constructor(private readonly manager: EntityManager) {}

  findForSlide(slideId: string): Promise<Voiceover | null> {
    return this.manager.findOneBy(Voiceover, { slideId });
  }

  /** One voiceover per slide: a retried voice job overwrites instead of adding. */
  async upsertForSlide(v: NewVoiceover): Promise<void> {
    await this.manager.query(
      `INSERT INTO voiceovers (slide_id, audio_url, duration, text, voice, timing) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (slide_id) DO UPDATE SET audio_url = EXCLUDED.audio_url, duration = EXCLUDED.duration,
         text = EXCLUDED.text, voice = EXCLUDED.voice, timing = EXCLUDED.timing`,
      [v.slideId, v.audioUrl, v.duration, v.text, v.voice.slice(0, 100), v.timing ? JSON.stringify(v.timing) : null],
    );
  }

  async countVoicedForPrompt(promptId: string): Promise<number> {
    const [row] = await this.manager.query<{ done: number }[]>(
      `SELECT count(*)::int AS done FROM voiceovers v JOIN slides s ON s.id = v.slide_id WHERE s.prompt_id = $1`,
      [promptId],
    );
    return row?.done ?? 0;
  }
}
