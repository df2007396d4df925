import type { SpeechTiming } from '@app/common';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'voiceovers' })
export class Voiceover {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** One voiceover per slide (unique), so a retried voice job overwrites instead of adding. */
  @Column({ name: 'slide_id', type: 'uuid' })
  slideId: string;

  /** Storage key of the audio (content-addressed when it came from the cache). */
  @Column({ name: 'audio_url', type: 'text' })
  audioUrl: string;

  /** Seconds, measured from the audio. */
  @Column({ type: 'double precision' })
  duration: number;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  voice: string;

  /** When each word (or phrase) is spoken, measured from the audio; null for rows voiced before timings. */
  @Column({ type: 'jsonb', nullable: true })
  timing: SpeechTiming | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
