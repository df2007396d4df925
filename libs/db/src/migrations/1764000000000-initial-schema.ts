import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema. Raw SQL so the indexes, checks and ON DELETE rules are
 * exactly what we mean; every index serves a lookup the API or worker makes.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(254) NOT NULL,
        username varchar(32) NOT NULL,
        password_hash varchar(100) NOT NULL,
        avatar_url text,
        role varchar(16) NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Login looks users up by email; registration checks both for conflicts.
    await q.query(`CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email))`);
    await q.query(`CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username))`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        family_id uuid NOT NULL,
        token_hash char(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        replaced_by uuid REFERENCES refresh_tokens(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`);
    await q.query(`CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at)`);

    await q.query(`
      CREATE TABLE prompts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        title varchar(200) NOT NULL,
        content text NOT NULL,
        is_cached boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX prompts_user_idx ON prompts (user_id)`);

    await q.query(`
      CREATE TABLE slides (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        prompt_id uuid NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
        slide_number int NOT NULL CHECK (slide_number >= 1),
        title varchar(200) NOT NULL,
        bullets jsonb NOT NULL DEFAULT '[]',
        text text NOT NULL,
        image_url text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT slides_prompt_number_key UNIQUE (prompt_id, slide_number)
      )`);

    await q.query(`
      CREATE TABLE voiceovers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slide_id uuid NOT NULL REFERENCES slides(id) ON DELETE CASCADE,
        audio_url text NOT NULL,
        duration double precision NOT NULL CHECK (duration > 0),
        text text NOT NULL,
        voice varchar(100) NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT voiceovers_slide_key UNIQUE (slide_id)
      )`);

    await q.query(`
      CREATE TABLE videos (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        prompt_id uuid NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
        title varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '',
        status varchar(32) NOT NULL DEFAULT 'queued' CHECK (status IN
          ('queued', 'generating_slides', 'generating_voice', 'rendering', 'completed', 'failed', 'cancelled')),
        stage varchar(200) NOT NULL DEFAULT 'Waiting in the queue',
        progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        error text,
        slide_count int NOT NULL CHECK (slide_count BETWEEN 1 AND 100),
        aspect_ratio varchar(8) NOT NULL DEFAULT '16:9',
        language varchar(35) NOT NULL DEFAULT 'en-US',
        voice varchar(100),
        theme varchar(32) NOT NULL DEFAULT 'light',
        llm_provider varchar(32),
        llm_model varchar(100),
        tts_provider varchar(32),
        video_url text,
        thumbnail_url text,
        captions_url text,
        duration double precision,
        usage jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    // The list endpoint: a user's videos newest first, optionally by status.
    await q.query(`CREATE INDEX videos_user_created_idx ON videos (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX videos_user_status_created_idx ON videos (user_id, status, created_at DESC)`);
    await q.query(`CREATE UNIQUE INDEX videos_prompt_key ON videos (prompt_id)`);

    await q.query(`
      CREATE TABLE generation_cache (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(16) NOT NULL CHECK (kind IN ('deck', 'audio')),
        cache_key char(64) NOT NULL,
        provider varchar(32) NOT NULL,
        model varchar(100) NOT NULL DEFAULT '',
        payload jsonb,
        storage_key text,
        hit_count int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT generation_cache_kind_key UNIQUE (kind, cache_key),
        CHECK (payload IS NOT NULL OR storage_key IS NOT NULL)
      )`);
    // Eviction of entries not used for a long time.
    await q.query(`CREATE INDEX generation_cache_last_used_idx ON generation_cache (last_used_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['generation_cache', 'videos', 'voiceovers', 'slides', 'prompts', 'refresh_tokens', 'users']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
