import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { probeBuffer, SpawnMediaRunner } from '@app/media';
import { EspeakNarrator, wordsPerMinute } from './espeak.narrator.js';
import { ProviderError } from '../../../errors/provider.error.js';
import { parseWav } from '../../wav.js';

const run = promisify(execFile);
const narrator = new EspeakNarrator();
const SENTENCE = 'Plants capture sunlight with chlorophyll and turn it into sugar.';

/** The duration ffprobe reads from the file, through the same probe helper the worker uses. */
async function ffprobeDuration(audio: Buffer): Promise<number> {
  return (await probeBuffer(new SpawnMediaRunner(), audio, 'wav', { workDir: tmpdir() })).durationSeconds;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** espeak-ng processes that are children of this test process. */
async function espeakChildren(): Promise<string[]> {
  const { stdout } = await run('ps', ['--ppid', String(process.pid), '-o', 'pid=,comm=']).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter((l) => l.includes('espeak'));
}

describe('EspeakNarrator', () => {
  it('speaks en-US into a WAV whose measured duration ffprobe agrees with', async () => {
    const result = await narrator.narrate({ text: SENTENCE, language: 'en-US' });
    expect(result.format).toBe('wav');
    expect(result.characters).toBe(SENTENCE.length);
    expect(result.durationSeconds).toBeGreaterThan(0.5);
    expect(parseWav(result.audio).durationSeconds).toBe(result.durationSeconds);
    // The header now carries true sizes, so a tool that trusts it reads the same length.
    expect(result.audio.readUInt32LE(4)).toBe(result.audio.length - 8);
    expect(Math.abs((await ffprobeDuration(result.audio)) - result.durationSeconds)).toBeLessThan(0.05);
  });

  it('takes longer for longer text and less at a higher speaking rate', async () => {
    const short = await narrator.narrate({ text: SENTENCE, language: 'en-US' });
    const long = await narrator.narrate({ text: `${SENTENCE} ${SENTENCE} ${SENTENCE}`, language: 'en-US' });
    const fast = await narrator.narrate({ text: SENTENCE, language: 'en-US', speakingRate: 2 });
    expect(long.durationSeconds).toBeGreaterThan(short.durationSeconds * 2);
    expect(fast.durationSeconds).toBeLessThan(short.durationSeconds * 0.75);
  });

  it('times each phrase by measuring its own audio: marks are contiguous and end with the audio', async () => {
    const text = 'Leaves change colour in autumn, because chlorophyll fades; then the yellow shows. Why? Light!';
    const result = await narrator.narrate({ text, language: 'en-US' });
    expect(result.timing.granularity).toBe('phrase');
    expect(result.timing.marks.map((m) => m.text)).toEqual([
      'Leaves change colour in autumn,',
      'because chlorophyll fades;',
      'then the yellow shows.',
      'Why?',
      'Light!',
    ]);
    let previous = 0;
    for (const m of result.timing.marks) {
      expect(m.startSeconds).toBeCloseTo(previous, 3);
      expect(m.endSeconds).toBeGreaterThan(m.startSeconds);
      previous = m.endSeconds;
    }
    expect(previous).toBeCloseTo(result.durationSeconds, 2);
    // Each phrase lasts exactly what espeak-ng makes of it alone, not a length guessed from characters.
    const alone = await narrator.narrate({ text: 'because chlorophyll fades;', language: 'en-US' });
    const mark = result.timing.marks[1]!;
    expect(mark.endSeconds - mark.startSeconds).toBeCloseTo(alone.durationSeconds, 2);
    const why = result.timing.marks[3]!;
    expect(why.endSeconds - why.startSeconds).toBeLessThan(mark.endSeconds - mark.startSeconds);
  });

  it('speaks French', async () => {
    const result = await narrator.narrate({ text: 'Les plantes captent la lumière du soleil.', language: 'fr-FR' });
    expect(result.durationSeconds).toBeGreaterThan(0.5);
  });

  it('speaks text that looks like an option instead of obeying it', async () => {
    const result = await narrator.narrate({ text: '--help -v xx --version', language: 'en-US' });
    expect(result.audio.toString('latin1', 0, 4)).toBe('RIFF');
    expect(result.durationSeconds).toBeGreaterThan(0.5);
  });

  it('maps BCP-47 tags to espeak-ng voices', async () => {
    await narrator.loadVoices();
    const voice = (language: string, v?: string) => narrator.resolveVoice({ text: 'x', language, voice: v });
    expect(await voice('en-US')).toBe('en-us');
    expect(await voice('en-GB')).toBe('en-gb');
    expect(await voice('fr-FR')).toBe('fr');
    expect(await voice('de')).toBe('de');
    expect(await voice('de-AT')).toBe('de');
    expect(await voice('pt-BR')).toBe('pt-br');
    expect(await voice('zh-CN')).toBe('cmn');
    expect(await voice('zh-Hant-HK')).toBe('yue');
    expect(await voice('ja')).toBe('ja');
    expect(await voice('en_AU')).toBe('en');
    expect(await voice('en-US', 'en-GB-x-rp')).toBe('en-gb-x-rp');
    expect(await voice('fr-FR', 'en-us+f3')).toBe('en-us+f3');
  });

  it('fails permanently, naming it, on a language or voice it does not have', async () => {
    const error = await rejection(narrator.narrate({ text: SENTENCE, language: 'tlh-QQ' }));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('permanent');
    expect((error as ProviderError).message).toContain('"tlh-QQ"');

    await expect(narrator.resolveVoice({ text: 'x', language: 'en-US', voice: 'en-us+nosuchvariant' })).rejects.toThrow(
      /voice "en-us\+nosuchvariant" is not installed/,
    );
    await expect(narrator.resolveVoice({ text: 'x', language: 'en-US', voice: '--stdout' })).rejects.toThrow(ProviderError);
  });

  it('kills espeak-ng when the request is aborted, and rejects only once it is gone', async () => {
    const controller = new AbortController();
    await narrator.loadVoices();
    // Several seconds of synthesis: far longer than the abort takes.
    const pending = narrator.narrate({ text: `${SENTENCE} `.repeat(400), language: 'en-US', signal: controller.signal });
    while ((await espeakChildren()).length === 0) {
      /* wait for the process to appear */
    }
    const abortedAt = performance.now();
    controller.abort();
    const error = await rejection(pending);
    // Left to finish, the synthesis would take seconds more: only a kill ends it this soon.
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect((error as Error).name).toBe('AbortError');
    expect(await espeakChildren()).toEqual([]);
  });

  it('rejects an already aborted request without running anything', async () => {
    const error = await rejection(narrator.narrate({ text: SENTENCE, language: 'en-US', signal: AbortSignal.abort() }));
    expect((error as Error).name).toBe('AbortError');
  });

  it('says to install espeak-ng when the program is missing', async () => {
    const missing = new EspeakNarrator({ binary: 'espeak-ng-not-installed' });
    const error = await rejection(missing.narrate({ text: SENTENCE, language: 'en-US' }));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('permanent');
    expect((error as ProviderError).message).toMatch(/install espeak-ng/);
    await expect(missing.resolveVoice({ text: 'x', language: 'en-US' })).rejects.toThrow(/install espeak-ng/);
  });

  it('only warns at start when espeak-ng is missing, and reads the voices once', async () => {
    const missing = new EspeakNarrator({ binary: 'espeak-ng-not-installed' });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      await expect(missing.onModuleInit()).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/espeak-ng voices could not be read: .*install espeak-ng/));
    } finally {
      warn.mockRestore();
    }
    const present = new EspeakNarrator();
    await present.onModuleInit();
    expect(await present.loadVoices()).toBe(await present.loadVoices());
  });

  it('treats a non-zero exit as transient', async () => {
    const failing = new EspeakNarrator({ binary: 'false' });
    const error = await rejection(failing.narrate({ text: SENTENCE, language: 'en-US' }));
    expect((error as ProviderError).kind).toBe('transient');
    expect((error as ProviderError).message).toContain('exited with code 1');
  });

  it('maps speaking rate to words per minute within what espeak-ng can do', () => {
    expect(wordsPerMinute()).toBe(175);
    expect(wordsPerMinute(1.5)).toBe(263);
    expect(wordsPerMinute(0.1)).toBe(80);
    expect(wordsPerMinute(4)).toBe(450);
    expect(() => wordsPerMinute(0)).toThrow(ProviderError);
    expect(() => wordsPerMinute(Number.NaN)).toThrow(ProviderError);
  });
});
