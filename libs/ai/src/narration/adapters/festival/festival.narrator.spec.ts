import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpawnMediaRunner } from '@app/media';
import type { SpeechTiming } from '@app/common';
import { ProviderError } from '../../../errors/provider.error.js';
import { parseWav } from '../../wav.js';
import { writtenWords } from '../../written-words.js';
import { FestivalNarrator } from './festival.narrator.js';

const workDir = mkdtempSync(join(tmpdir(), 'festival-spec-'));
const narrator = new FestivalNarrator({ workDir, timeoutMs: 60_000 });
afterAll(async () => {
  await narrator.onModuleDestroy();
  rmSync(workDir, { recursive: true, force: true });
});
const runner = new SpawnMediaRunner();

/** Where speech ends, as ffmpeg's silencedetect hears it in the WAV (not as Festival says). */
async function speechEndSeconds(audio: Buffer): Promise<number> {
  const file = join(workDir, `probe-${Math.random().toString(36).slice(2)}.wav`);
  writeFileSync(file, audio);
  const { stderr } = await runner.run('ffmpeg', ['-hide_banner', '-nostdin', '-i', file, '-af', 'silencedetect=noise=-40dB:d=0.15', '-f', 'null', '-']);
  const duration = parseWav(audio).durationSeconds;
  // A silence still running at the end of the file is the trailing one; speech ends where it starts.
  const silences = [...stderr.matchAll(/silence_start: ([\d.]+)/g)].map((m) => Number(m[1]));
  const ends = [...stderr.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
  return silences.length > ends.length ? silences.at(-1)! : duration;
}

function expectWellFormed(timing: SpeechTiming, text: string, duration: number): void {
  expect(timing.granularity).toBe('word');
  expect(timing.marks.map((m) => m.text)).toEqual(writtenWords(text).words);
  let previous = 0;
  for (const m of timing.marks) {
    expect(m.startSeconds).toBeGreaterThanOrEqual(previous);
    expect(m.endSeconds).toBeGreaterThanOrEqual(m.startSeconds);
    expect(m.endSeconds).toBeLessThanOrEqual(duration);
    previous = m.endSeconds;
  }
}

describe('FestivalNarrator (real festival, voice cmu_us_slt_arctic_hts)', () => {
  it('is ready when festival and the voice are installed', async () => {
    await expect(narrator.ready()).resolves.toBeUndefined();
    await expect(narrator.resolveVoice({ text: 'x', language: 'en-US' })).resolves.toBe('cmu_us_slt_arctic_hts');
  });

  it('speaks English to a WAV and times every written word, the last ending where the speech does', async () => {
    const text = 'In 1999, the "state-of-the-art" laptop cost $3,500 — about twice what Dr. Smith paid. Really?';
    const result = await narrator.narrate({ text, language: 'en-US' });
    expect(result.format).toBe('wav');
    expect(result.durationSeconds).toBeCloseTo(parseWav(result.audio).durationSeconds, 6);
    expect(result.durationSeconds).toBeGreaterThan(3);
    expectWellFormed(result.timing, text, result.durationSeconds);
    expect(result.timing.marks).toHaveLength(14);
    // "1999," is one mark although Festival says three words for it; "—" rides on "$3,500".
    expect(result.timing.marks[1]).toMatchObject({ text: '1999,' });
    expect(result.timing.marks[1]!.endSeconds - result.timing.marks[1]!.startSeconds).toBeGreaterThan(0.5);
    expect(result.timing.marks[6]!.text).toBe('$3,500 —');
    const end = await speechEndSeconds(result.audio);
    expect(Math.abs(result.timing.marks.at(-1)!.endSeconds - end)).toBeLessThan(0.25);
  }, 60_000);

  it('places later sentences after earlier ones in the joined audio', async () => {
    const text = 'First sentence here. Second one follows. And a third, to finish.';
    const result = await narrator.narrate({ text, language: 'en-US' });
    expectWellFormed(result.timing, text, result.durationSeconds);
    const second = result.timing.marks.find((m) => m.text === 'Second')!;
    const first = result.timing.marks.find((m) => m.text === 'here.')!;
    expect(second.startSeconds).toBeGreaterThan(first.endSeconds);
    const end = await speechEndSeconds(result.audio);
    expect(Math.abs(result.timing.marks.at(-1)!.endSeconds - end)).toBeLessThan(0.25);
  }, 60_000);

  it('speaks hostile text as text: quotes, backslashes, parentheses, semicolons, Scheme, 1500 characters', async () => {
    const hostile = 'He said "stop\\" (quit) ; (system "touch /tmp/festival-pwned") \\\\" ")) (exit) café naïve — “curly” ‘quotes’ … ';
    let text = '';
    while (text.length < 1500) text += hostile;
    text = text.slice(0, 1500).trimEnd();
    const result = await narrator.narrate({ text, language: 'en-US' });
    expectWellFormed(result.timing, text, result.durationSeconds);
    expect(result.timing.marks.length).toBeGreaterThan(150);
    const end = await speechEndSeconds(result.audio);
    expect(Math.abs(result.timing.marks.at(-1)!.endSeconds - end)).toBeLessThan(0.3);
    const { existsSync } = await import('node:fs');
    expect(existsSync('/tmp/festival-pwned')).toBe(false);
  }, 120_000);

  it('speaks faster at a higher rate, and the timings follow', async () => {
    const text = 'Speed changes how long the same words take to say.';
    const normal = await narrator.narrate({ text, language: 'en-US' });
    const fast = await narrator.narrate({ text, language: 'en-US', speakingRate: 1.5 });
    expect(fast.durationSeconds).toBeLessThan(normal.durationSeconds * 0.8);
    expect(fast.timing.marks.at(-1)!.endSeconds).toBeLessThan(normal.timing.marks.at(-1)!.endSeconds * 0.8);
  }, 60_000);

  it('refuses an unknown voice, empty text and a rate outside its range as permanent failures', async () => {
    const fail = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e as ProviderError,
      );
    const voice = await fail(narrator.narrate({ text: 'Hello.', language: 'en-US', voice: 'voice_x) (quit' }));
    expect(voice).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/voice "voice_x\) \(quit" is not installed/) });
    expect(await fail(narrator.narrate({ text: '  \n ', language: 'en-US' }))).toMatchObject({ kind: 'permanent' });
    expect(await fail(narrator.narrate({ text: 'Hello.', language: 'en-US', speakingRate: 9 }))).toMatchObject({ kind: 'permanent' });
  });

  it('says what to install when festival is missing', async () => {
    const missing = new FestivalNarrator({ workDir, binary: '/nonexistent/festival' });
    await expect(missing.ready()).rejects.toThrow(/apt-get install festival festvox-us-slt-hts/);
  });

  it('stops the run when the job is cancelled', async () => {
    const controller = new AbortController();
    const running = narrator.narrate({ text: 'A sentence long enough to still be running. '.repeat(20), language: 'en-US', signal: controller.signal });
    setImmediate(() => controller.abort(new Error('cancelled by the test')));
    await expect(running).rejects.toThrow('cancelled by the test');
  });
});
