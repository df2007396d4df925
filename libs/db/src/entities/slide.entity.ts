import type { SlideVisual, SlidePictureInfo } from '@app/common';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'slides' })
export class Slide {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'prompt_id', type: 'uuid' })
  promptId: string;

  /** 1-based position in the deck; unique per prompt so a retried job cannot duplicate it. */
  @Column({ name: 'slide_number', type: 'int' })
  slideNumber: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  bullets: string[];

  /** The narration script for this slide. */
  @Column({ type: 'text' })
  text: string;

  /** Storage key of the rendered PNG, once rendered. */
  @Column({ name: 'image_url', type: 'text', nullable: true })
  imageUrl: string | null;

  /** What the deck's writer said this slide should show; null for decks written before pictures. */
  @Column({ type: 'jsonb', nullable: true })
  visual: SlideVisual | null;

  /** The picture the slide image was rendered with; null until rendered (or rendered before pictures). */
  @Column({ type: 'jsonb', nullable: true })
  picture: SlidePictureInfo | null;

  /** The slide's window in the finished video, in seconds; null until the video is stitched. */
  @Column({ name: 'start_seconds', type: 'double precision', nullable: true })
  startSeconds: number | null;

  @Column({ name: 'end_seconds', type: 'double precision', nullable: true })
  endSeconds: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
