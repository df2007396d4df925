import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAdtsFrames } from './adts.js';
import { buildAudioChunkArgs, encodeAudioChunk } from './audio-chunk.js';
import { SpawnMediaRunner } from './media-runner.js';
import { measureAudioSeconds } from './probe.js';
import { AAC_FRAME_SAMPLES, AUDIO_LEAD_FRAMES, planTimeline, slideWindowFrames } from './timeline.js';

const runner = new SpawnMediaRunner();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-audio-chunk-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Decodes any audio file to 24 kHz mono float samples (the same resampler the chunk uses). */
async function pcm(path: string, inputFormat: string[] = []): Promise<Float32Array> {
  const out = join(dir, `pcm-${Math.random().toString(36).slice(2)}.f32`);
  await runner.run('ffmpeg', [
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    ...inputFormat,
    '-i',
    path,
    '-af',
    'aresample=24000',
    '-ac',
    '1',
    '-f',
    'f32le',
    out,
  ]);
  const b = await readFile(out);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / Math.max(1, x.length));
const peak = (x: Float32Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
function correlation(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('audio chunks', () => {
  it('pads the narration to whole AAC frames after the lead and writes ADTS', () => {
    const args = buildAudioChunkArgs({ audioPath: '/a/1.wav', windowFrames: 11, outPath: '/w/1.aac' });
    expect(args.join(' ')).toContain('apad=whole_len=10240,atrim=end_sample=10240');
    expect(args.slice(-3)).toEqual(['-f', 'adts', '/w/1.aac']);
  });

  it('joined by bytes, decode to the ideal timeline: exact length, no click at the joins, speech intact', async () => {
    const texts = [
      'Water evaporates from the sea and rises as vapour.',
      'The vapour cools and forms clouds high above.',
      'Rain falls back to the land, and rivers carry it home.',
      'Then it starts again.',
    ];
    const pause = 0.4;
    const narrations: string[] = [];
    for (const [i, text] of texts.entries()) {
      const path = join(dir, `voice-${i}.wav`);
      await promisify(execFile)('espeak-ng', ['-w', path, text]);
      narrations.push(path);
    }
    const seconds = await Promise.all(narrations.map((p) => measureAudioSeconds(runner, p)));
    const timeline = planTimeline(seconds, pause);
    const chunks: Buffer[] = [];
    for (const [i, audioPath] of narrations.entries()) {
      const windowFrames = slideWindowFrames(seconds[i]!, pause);
      const outPath = join(dir, `chunk-${i}.aac`);
      await encodeAudioChunk(runner, { audioPath, windowFrames, outPath });
      const chunk = await readFile(outPath);
      // The encoder's priming frame plus the slide's own: exactly the window.
      expect(parseAdtsFrames(chunk)).toHaveLength(windowFrames);
      chunks.push(chunk);
    }
    const joinedPath = join(dir, 'joined.aac');
    await writeFile(joinedPath, Buffer.concat(chunks));
    const decoded = await pcm(joinedPath, ['-f', 'aac']);

    // No drift: exactly the timeline's samples.
    expect(decoded.length).toBe(timeline.totalSamples);

    // The ideal: each narration placed at its window's start + the lead frame, silence elsewhere.
    const ideal = new Float32Array(timeline.totalSamples);
    const speech: { from: number; to: number }[] = [];
    for (const [i, path] of narrations.entries()) {
      const voice = await pcm(path);
      const from = timeline.slides[i]!.startSample + AUDIO_LEAD_FRAMES * AAC_FRAME_SAMPLES;
      ideal.set(voice, from);
      speech.push({ from, to: from + voice.length });
    }
    const speechLevel = rms(ideal);
    expect(speechLevel).toBeGreaterThan(0.01);

    for (const [i, s] of speech.entries()) {
      // The speech where it belongs, intact.
      expect(correlation(decoded.subarray(s.from, s.to), ideal.subarray(s.from, s.to))).toBeGreaterThan(0.99);
      if (i === 0) continue;
      // Around each join (5 ms either side): silence, as in the ideal: no click.
      const at = timeline.slides[i]!.startSample;
      const around = decoded.subarray(at - 120, at + 120);
      expect(peak(around)).toBeLessThan(0.01 * speechLevel);
      expect(rms(around)).toBeLessThan(0.005 * speechLevel);
    }
    // Everywhere, the error is small against the speech (no misplaced slide, no burst).
    const err = decoded.map((v, k) => v - ideal[k]!);
    expect(rms(err)).toBeLessThan(0.1 * speechLevel);
  });
});
