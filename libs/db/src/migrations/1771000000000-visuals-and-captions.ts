import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pictures on slides, timed narration and caption options.
 * - slides.visual: what the deck's writer said the slide should show ({keywords, prompt});
 *   slides.picture: what it was rendered with ({kind, source, attribution}), for the api;
 *   slides.start_seconds / end_seconds: the slide's window in the finished video (its chapter).
 * - voiceovers.timing: when each word (or phrase) is spoken, measured from the audio, so
 *   captions follow the voice; null for rows voiced before this, which fall back to
 *   splitting the slide's window.
 * - videos.captions / caption_style: burned into the frames or served beside them;
 *   videos.image_provider: which source the pictures came from.
 * All nullable or defaulted: rows made before keep working.
 */
export class VisualsAndCaptions1771000000000 implements MigrationInterface {
  name = 'VisualsAndCaptions1771000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE slides ADD COLUMN visual jsonb, ADD COLUMN picture jsonb, ADD COLUMN start_seconds double precision, ADD COLUMN end_seconds double precision`,
    );
    await q.query(`ALTER TABLE voiceovers ADD COLUMN timing jsonb`);
    await q.query(`
      ALTER TABLE videos
        ADD COLUMN captions varchar(8) NOT NULL DEFAULT 'sidecar' CHECK (captions IN ('burned', 'sidecar')),
        ADD COLUMN caption_style varchar(8) NOT NULL DEFAULT 'phrase' CHECK (caption_style IN ('phrase', 'word')),
        ADD COLUMN image_provider varchar(32)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE videos DROP COLUMN IF EXISTS image_provider, DROP COLUMN IF EXISTS caption_style, DROP COLUMN IF EXISTS captions`);
    await q.query(`ALTER TABLE voiceovers DROP COLUMN IF EXISTS timing`);
    await q.query(
      `ALTER TABLE slides DROP COLUMN IF EXISTS end_seconds, DROP COLUMN IF EXISTS start_seconds, DROP COLUMN IF EXISTS picture, DROP COLUMN IF EXISTS visual`,
    );
  }
}
