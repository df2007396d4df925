import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIO_LEAD_SECONDS, framesToSeconds, MAX_FRAME_GAP_SECONDS, slideWindowFrames } from './timeline.js';
import { encodeAudioChunk } from './audio-chunk.js';
import { MediaError, SpawnMediaRunner } from './media-runner.js';
import { measureAudioSeconds, probeMedia } from './probe.js';
import { SlideRenderer } from './slide-renderer.js';
import { childMediaProcesses, ffmpegFromLavfi, topLevelBoxes, videoPacketLines } from './test-support.js';
import { VideoStitcher, type StitchSlide } from './video-stitcher.js';

const runner = new SpawnMediaRunner({ killGraceMs: 500 });
const stitcher = new VideoStitcher(runner);
let dir: string;
let slides: StitchSlide[];

async function tone(path: string, seconds: number, rate: number, codec: string[] = []): Promise<string> {
  await ffmpegFromLavfi(runner, [`sine=frequency=440:sample_rate=${rate}:duration=${seconds}`], ['-ac', '1', ...codec, path]);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-stitch-'));
  const renderer = new SlideRenderer();
  // espeak-ng's 22.05 kHz WAV, a 16 kHz WAV, and Google-TTS-like 24 kHz MP3.
  const audio = [
    await tone(join(dir, 'a0.wav'), 1.2, 22050),
    await tone(join(dir, 'a1.wav'), 0.8, 16000),
    await tone(join(dir, 'a2.mp3'), 1.0, 24000, ['-c:a', 'libmp3lame', '-b:a', '48k']),
  ];
  slides = [];
  for (const [i, audioPath] of audio.entries()) {
    const imagePath = join(dir, `s${i}.png`);
    await writeFile(
      imagePath,
      await renderer.render({ deckTitle: 'Deck', title: `Slide ${i + 1}`, bullets: ['A point'], index: i, total: 3, aspectRatio: '16:9', theme: 'light' }),
    );
    slides.push({ imagePath, audioPath, audioDurationSeconds: await measureAudioSeconds(runner, audioPath) });
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('VideoStitcher', () => {
  it('stitches slides with mixed audio formats into a faststart H.264/AAC MP4 of the right length', async () => {
    const progress: number[] = [];
    const outPath = join(dir, 'out.mp4');
    const result = await stitcher.stitch({
      slides,
      width: 1280,
      height: 720,
      pauseSeconds: 0.5,
      outPath,
      workDir: join(dir, 'work'),
      onProgress: (f) => progress.push(f),
    });

    // Each window: an AAC lead frame, then narration + pause rounded up to whole AAC frames (< 1 frame more).
    const windows = slides.map((s) => framesToSeconds(slideWindowFrames(s.audioDurationSeconds, 0.5)));
    for (const [i, w] of windows.entries()) {
      expect(w - AUDIO_LEAD_SECONDS - (slides[i].audioDurationSeconds + 0.5)).toBeGreaterThanOrEqual(0);
      expect(w - AUDIO_LEAD_SECONDS - (slides[i].audioDurationSeconds + 0.5)).toBeLessThan(1024 / 24000);
    }
    const expected = windows.reduce((a, b) => a + b, 0);
    expect(result.durationSeconds).toBeCloseTo(expected, 6);
    expect(result.slides.map((s) => s.endSeconds - s.startSeconds)).toEqual(windows.map((w) => expect.closeTo(w, 6)));
    expect(result.slides[0].startSeconds).toBe(0);
    for (let i = 1; i < 3; i++) expect(result.slides[i].startSeconds).toBe(result.slides[i - 1].endSeconds);

    const probe = await probeMedia(runner, outPath);
    expect(Math.abs(probe.durationSeconds - expected)).toBeLessThan(0.1);
    const video = probe.streams.find((s) => s.codecType === 'video');
    const audio = probe.streams.find((s) => s.codecType === 'audio');
    expect(video).toMatchObject({ codecName: 'h264', pixFmt: 'yuv420p', width: 1280, height: 720 });
    expect(audio).toMatchObject({ codecName: 'aac' });
    expect(probe.streams).toHaveLength(2);

    const boxes = topLevelBoxes(await readFile(outPath));
    expect(boxes).toContain('mdat');
    expect(boxes.indexOf('moov')).toBeGreaterThanOrEqual(0);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));

    expect(progress.length).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]);
    expect(progress.every((f) => f >= 0 && f <= 1)).toBe(true);
  });

  it('keeps picture and sound in sync across bounded-memory passes: keyframes at slide starts, silence in the pauses', async () => {
    const outPath = join(dir, 'sync.mp4');
    // Two slides per ffmpeg pass, so the 3 slides take two passes joined by the concat demuxer.
    const result = await stitcher
      .withOptions({ slidesPerPass: 2 })
      .stitch({ slides, width: 640, height: 360, pauseSeconds: 0.7, outPath, workDir: join(dir, 'work-sync') });

    const frames = await videoPacketLines(runner, outPath);
    const packets = frames
      .trim()
      .split('\n')
      .map((l) => ({ t: Number(l.split(',')[0]), key: l.split(',')[1].startsWith('K') }));
    const keyTimes = packets.filter((p) => p.key).map((p) => p.t);
    expect(keyTimes).toEqual(result.slides.map((s) => expect.closeTo(s.startSeconds, 3)));
    // No frame held longer than the gap (Chromium shows sparse VFR slides early otherwise).
    for (let i = 1; i < packets.length; i++) expect(packets[i].t - packets[i - 1].t).toBeLessThanOrEqual(MAX_FRAME_GAP_SECONDS + 1e-6);
    const probe = await probeMedia(runner, outPath);
    expect(Math.abs(probe.durationSeconds - result.durationSeconds)).toBeLessThan(0.1);
    const { stdout: videoDuration } = await runner.run('ffprobe', [
      '-v',
      'error',
      '-select_streams',
      'v',
      '-show_entries',
      'stream=duration',
      '-of',
      'csv=p=0',
      outPath,
    ]);
    expect(Number(videoDuration)).toBeCloseTo(result.durationSeconds, 2);

    const { stderr } = await runner.run('ffmpeg', [
      '-nostdin',
      '-hide_banner',
      '-i',
      outPath,
      '-map',
      '0:a',
      '-af',
      'silencedetect=noise=-40dB:d=0.3',
      '-f',
      'null',
      '-',
    ]);
    const starts = [...stderr.matchAll(/silence_start: ([\d.]+)/g)].map((m) => Number(m[1]));
    const ends = [...stderr.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
    // Each narration starts one AAC lead frame into its slide (timeline.ts) and ends its length later;
    // the next narration starts one lead frame after the next slide's start.
    const lead = AUDIO_LEAD_SECONDS;
    expect(starts).toEqual(slides.map((s, i) => expect.closeTo(result.slides[i].startSeconds + lead + s.audioDurationSeconds, 1)));
    expect(ends.slice(0, 2)).toEqual([expect.closeTo(result.slides[1].startSeconds + lead, 1), expect.closeTo(result.slides[2].startSeconds + lead, 1)]);
  });

  it('rejects with a MediaError containing ffmpeg stderr for a bad input path', async () => {
    const bad = [...slides];
    bad[1] = { ...bad[1], audioPath: join(dir, 'missing-voice.wav') };
    const err = await stitcher
      .stitch({ slides: bad, width: 640, height: 360, outPath: join(dir, 'bad.mp4'), workDir: join(dir, 'work-bad') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect((err as MediaError).cancelled).toBe(false);
    expect((err as MediaError).message).toContain('missing-voice.wav');
    expect((err as MediaError).message).toMatch(/No such file or directory/);
    expect(childMediaProcesses()).toEqual([]);
  });

  it('refuses an audio chunk that is not exactly its window, rather than shift the later slides', async () => {
    const chunk = join(dir, 'short.aac');
    await encodeAudioChunk(runner, { audioPath: slides[0].audioPath, windowFrames: 5, outPath: chunk });
    const err = await stitcher
      .stitch({
        slides: [{ ...slides[0], audioChunkPath: chunk }, slides[1]],
        width: 640,
        height: 360,
        outPath: join(dir, 'short.mp4'),
        workDir: join(dir, 'work-short'),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect((err as MediaError).message).toMatch(/has 5 AAC frames, its window \d+/);
  });

  it('cancels mid-stitch: rejects as cancelled and leaves no ffmpeg running', async () => {
    // Long enough (5 min of audio) that the stitch is certainly still running at the first progress report.
    const longAudio = await tone(join(dir, 'long.wav'), 300, 22050);
    const controller = new AbortController();
    const seen: number[] = [];
    const err = await stitcher
      .stitch({
        slides: [{ ...slides[0], audioPath: longAudio, audioDurationSeconds: 300 }],
        width: 1920,
        height: 1080,
        outPath: join(dir, 'cancelled.mp4'),
        workDir: join(dir, 'work-cancel'),
        signal: controller.signal,
        onProgress: (f) => {
          seen.push(f);
          controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect((err as MediaError).cancelled).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeLessThan(1);
    expect(childMediaProcesses()).toEqual([]);
  });
});
