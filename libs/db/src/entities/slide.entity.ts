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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
