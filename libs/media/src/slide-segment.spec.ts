import { ffmpegFromLavfi, videoPacketLines } from './test-support.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpeechTiming } from '@app/common';
import { CaptionBurner } from './caption-burner.js';
import { buildCaptionCues, slideCaptionCues } from './caption-cues.js';
import { CaptionRenderer } from './caption-renderer.js';
import { SpawnMediaRunner } from './media-runner.js';
import { mp4DurationSeconds } from './mp4-duration.js';
import { probeMedia } from './probe.js';
import { SegmentEncoder, segmentFingerprint, type SegmentSpec } from './slide-segment.js';
import { SlideRenderer } from './slide-renderer.js';
import { framesToSeconds, MAX_FRAME_GAP_SECONDS, planTimeline, slideWindowFrames } from './timeline.js';
import { VideoStitcher, type StitchSlide } from './video-stitcher.js';

const narrations = ['Plants need light to grow. They also need water.', 'Roots take water from the soil, and leaves breathe.', 'That is all.'];
const timingOf = (text: string): SpeechTiming => ({
  granularity: 'word',
  marks: text.split(' ').map((t, i) => ({ text: t, startSeconds: 0.1 + i * 0.3, endSeconds: 0.1 + (i + 1) * 0.3 })),
});

describe('segmentFingerprint', () => {
  const base: SegmentSpec = { imageKey: 'videos/v/slides/001.png', imageBytes: 1234, windowFrames: 101, width: 1920, height: 1080 };
  it('is stable for the same inputs and changes with anything the segment shows', () => {
    expect(segmentFingerprint({ ...base })).toBe(segmentFingerprint(base));
    const variants: SegmentSpec[] = [
      { ...base, imageKey: 'videos/v/slides/002.png' },
      { ...base, imageBytes: 1235 },
      { ...base, windowFrames: 102 },
      { ...base, width: 1080, height: 1920 },
      { ...base, burned: { cues: [], style: 'phrase', aspectRatio: '16:9' } },
    ];
    const prints = new Set([base, ...variants].map(segmentFingerprint));
    expect(prints.size).toBe(variants.length + 1);
  });
  it('changes with the burned cue text and style', () => {
    const cues = slideCaptionCues({ narration: narrations[0]!, timing: timingOf(narrations[0]!), startSeconds: 0, endSeconds: 4 }, 0);
    const other = slideCaptionCues({ narration: narrations[1]!, timing: timingOf(narrations[1]!), startSeconds: 0, endSeconds: 4 }, 0);
    const a = segmentFingerprint({ ...base, burned: { cues, style: 'phrase', aspectRatio: '16:9' } });
    expect(segmentFingerprint({ ...base, burned: { cues: other, style: 'phrase', aspectRatio: '16:9' } })).not.toBe(a);
    expect(segmentFingerprint({ ...base, burned: { cues, style: 'word', aspectRatio: '16:9' } })).not.toBe(a);
  });
});

describe('slideCaptionCues', () => {
  it('gives each slide, planned alone from 0, the whole video cues of that slide shifted by its start', () => {
    const durations = [3.3337, 3.9001, 1.2345];
    const windows = planTimeline(durations, 0.6).slides;
    const whole = buildCaptionCues(narrations.map((narration, i) => ({ narration, timing: timingOf(narration), ...windows[i]! })));
    for (const [i, narration] of narrations.entries()) {
      const alone = slideCaptionCues(
        { narration, timing: timingOf(narration), startSeconds: 0, endSeconds: framesToSeconds(slideWindowFrames(durations[i]!, 0.6)) },
        i,
      );
      // Windows start on the AAC frame grid, not whole ms: compared to the microsecond.
      const us = (s: number) => Math.round(s * 1e6);
      const shift = windows[i]!.startSeconds;
      const mine = whole.filter((c) => c.slideIndex === i);
      expect(mine.length).toBeGreaterThan(0);
      expect(alone.map((c) => [c.lines, us(c.startSeconds + shift), us(c.endSeconds + shift), c.words.map((w) => us(w.startSeconds + shift))])).toEqual(
        mine.map((c) => [c.lines, us(c.startSeconds), us(c.endSeconds), c.words.map((w) => us(w.startSeconds))]),
      );
    }
  });
});

describe('SegmentEncoder + VideoStitcher', () => {
  const runner = new SpawnMediaRunner();
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-segment-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('joins per-slide segments (burned captions) and a slide the stitch encodes itself: keyframes at starts, exact length', async () => {
    const renderer = new SlideRenderer();
    const encoder = new SegmentEncoder(runner, new CaptionBurner(new CaptionRenderer()));
    const pause = 0.6;
    const slides: StitchSlide[] = [];
    for (const [i, narration] of narrations.entries()) {
      const imagePath = join(dir, `s${i}.png`);
      await writeFile(
        imagePath,
        await renderer.render({ deckTitle: 'D', title: `S${i}`, bullets: ['x'], index: i, total: 3, aspectRatio: '16:9', theme: 'light' }),
      );
      const audioPath = join(dir, `a${i}.wav`);
      const seconds = 1.3 + i * 0.77;
      await ffmpegFromLavfi(runner, [`sine=frequency=440:sample_rate=22050:duration=${seconds}`], [audioPath]);
      const slide: StitchSlide = { imagePath, audioPath, audioDurationSeconds: seconds, title: `S${i}` };
      if (i === 1) {
        slides.push(slide); // its segment is missing: the stitch encodes it
        continue;
      }
      const windowFrames = slideWindowFrames(seconds, pause);
      const cues = slideCaptionCues({ narration, timing: timingOf(narration), startSeconds: 0, endSeconds: framesToSeconds(windowFrames) }, i);
      const spec: SegmentSpec = {
        imageKey: `k${i}`,
        imageBytes: 1,
        windowFrames,
        width: 640,
        height: 360,
        burned: { cues, style: 'word', aspectRatio: '16:9' },
      };
      const segmentPath = join(dir, `seg-${i}.mp4`);
      await encoder.encode({ spec, imagePath, outPath: segmentPath, workDir: join(dir, `w${i}`), threads: 1 });
      slides.push({ ...slide, segmentPath });
    }
    const outPath = join(dir, 'out.mp4');
    const result = await new VideoStitcher(runner).stitch({ slides, width: 640, height: 360, pauseSeconds: pause, outPath, workDir: join(dir, 'work') });

    const stdout = await videoPacketLines(runner, outPath);
    const packets = stdout
      .trim()
      .split('\n')
      .map((l) => ({ t: Number(l.split(',')[0]), key: l.split(',')[1]!.startsWith('K') }));
    expect(packets.filter((p) => p.key).map((p) => p.t)).toEqual(result.slides.map((s) => expect.closeTo(s.startSeconds, 3)));
    for (let i = 1; i < packets.length; i++) expect(packets[i]!.t - packets[i - 1]!.t).toBeLessThanOrEqual(MAX_FRAME_GAP_SECONDS + 1e-6);
    const { stdout: streamDurations } = await runner.run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_type,duration',
      '-of',
      'csv=p=0',
      outPath,
    ]);
    for (const line of streamDurations.trim().split('\n')) expect(Number(line.split(',')[1])).toBeCloseTo(result.durationSeconds, 2);
    const probe = await probeMedia(runner, outPath);
    // The stitch stores the length its movie header states, read in-process.
    expect(await mp4DurationSeconds(outPath)).toBeCloseTo(probe.durationSeconds, 5);
    // Besides video and audio, the chapters' own text track (the MP4 muxer adds it for QuickTime).
    expect(
      probe.streams
        .filter((s) => s.codecType !== 'data')
        .map((s) => s.codecName)
        .sort(),
    ).toEqual(['aac', 'h264']);
    const { stdout: chapters } = await runner.run('ffprobe', ['-v', 'error', '-show_chapters', '-of', 'csv=p=0', outPath]);
    expect(chapters.trim().split('\n')).toHaveLength(3);
  });

  it('encodes the audio chunk in the segment run: the same bytes as each encoded alone', async () => {
    const encoder = new SegmentEncoder(runner, new CaptionBurner(new CaptionRenderer()));
    const imagePath = join(dir, 'both.png');
    await writeFile(
      imagePath,
      await new SlideRenderer().render({ deckTitle: 'D', title: 'Both', bullets: ['x'], index: 0, total: 1, aspectRatio: '16:9', theme: 'light' }),
    );
    const audioPath = join(dir, 'both.wav');
    await ffmpegFromLavfi(runner, ['sine=frequency=330:sample_rate=22050:duration=2.1'], [audioPath]);
    const windowFrames = slideWindowFrames(2.1, 0.6);
    const spec: SegmentSpec = { imageKey: 'k', imageBytes: 1, windowFrames, width: 640, height: 360 };
    const chunk = (name: string) => ({ audioPath, windowFrames, outPath: join(dir, name) });

    await encoder.encode({ spec, imagePath, outPath: join(dir, 'together.mp4'), workDir: join(dir, 'wt'), threads: 1, audio: chunk('together.aac') });
    await encoder.encode({ spec, imagePath, outPath: join(dir, 'alone.mp4'), workDir: join(dir, 'wa'), threads: 1 });
    await encoder.encodeAudio(chunk('alone.aac'));

    const [together, alone] = await Promise.all([readFile(join(dir, 'together.aac')), readFile(join(dir, 'alone.aac'))]);
    expect(alone.length).toBeGreaterThan(0);
    expect(together.equals(alone)).toBe(true);
    // The segment's frames are those of the segment encoded alone (the MP4 header may name the run's streams differently).
    const [framesTogether, framesAlone] = await Promise.all([
      videoPacketLines(runner, join(dir, 'together.mp4')),
      videoPacketLines(runner, join(dir, 'alone.mp4')),
    ]);
    expect(framesTogether).toBe(framesAlone);
    const probe = await probeMedia(runner, join(dir, 'together.mp4'));
    expect(probe.streams.map((s) => s.codecName)).toEqual(['h264']);
  });
});
