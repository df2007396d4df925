import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaError, SpawnMediaRunner } from './media-runner.js';
import { mp4DurationSeconds } from './mp4-duration.js';
import { probeMedia } from './probe.js';
import { ffmpegFromLavfi } from './test-support.js';

const runner = new SpawnMediaRunner();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-mp4-duration-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Picture and sound of different lengths, AAC with its priming (an edit list), moov first or last. */
async function makeMp4(name: string, faststart: boolean): Promise<string> {
  const out = join(dir, name);
  await ffmpegFromLavfi(
    runner,
    ['color=c=blue:s=320x180:r=4:d=3.3', 'sine=frequency=440:sample_rate=24000:duration=3.71'],
    ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-video_track_timescale', '90000', ...(faststart ? ['-movflags', '+faststart'] : []), out],
  );
  return out;
}

describe('mp4DurationSeconds', () => {
  it.each([
    ['moov before mdat (faststart, as the stitch writes)', true],
    ['moov after mdat', false],
  ])('reads the length ffprobe reports: %s', async (_, faststart) => {
    const path = await makeMp4(`v-${faststart}.mp4`, faststart);
    const seconds = await mp4DurationSeconds(path);
    expect(seconds).toBeGreaterThan(3.5);
    expect(seconds).toBeCloseTo((await probeMedia(runner, path)).durationSeconds, 5);
  });

  it('refuses what is not a finished MP4: another format, an MP4 cut before its movie header, an empty file', async () => {
    const wav = join(dir, 'a.wav');
    await ffmpegFromLavfi(runner, ['sine=duration=0.5'], [wav]);
    const whole = await readFile(await makeMp4('cut.mp4', false));
    const cut = join(dir, 'cut-short.mp4');
    await writeFile(cut, whole.subarray(0, whole.length - 200));
    const empty = join(dir, 'empty.mp4');
    await writeFile(empty, '');
    for (const path of [wav, cut, empty]) await expect(mp4DurationSeconds(path)).rejects.toThrow(MediaError);
  });
});
