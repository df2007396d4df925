import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum CacheKind {
  Deck = 'deck',
  Audio = 'audio',
  Image = 'image',
}

/**
 * Generated content worth keeping so the same request never calls a paid API
 * twice: decks (payload holds the JSON), audio and remote pictures (storage_key
 * points at a content-addressed blob).
 */
@Entity({ name: 'generation_cache' })
export class GenerationCacheEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  kind: CacheKind;

  /** SHA-256 (hex) of everything that determines the output. */
  @Column({ name: 'cache_key', type: 'char', length: 64 })
  cacheKey: string;

  @Column({ type: 'varchar', length: 32 })
  provider: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  model: string;

  @Column({ type: 'jsonb', nullable: true })
  payload: Record<string, unknown> | null;

  @Column({ name: 'storage_key', type: 'text', nullable: true })
  storageKey: string | null;

  @Column({ name: 'hit_count', type: 'int', default: 0 })
  hitCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', default: () => 'now()' })
  lastUsedAt: Date;
}
