import { sineMp3, sineWav } from '@test/fakes/fake-google-tts.server.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MediaCommand, MediaRunner, type RunOptions, SpawnMediaRunner } from '@app/media';
import { AudioJoiner, buildMp3ConcatArgs, joinWav } from './audio-join.js';
import { readPcmWav, wavDurationSeconds, writePcmWav } from './wav.js';

/** Records what runs, and where, while the real runner does the work. */
class RecordingRunner extends MediaRunner {
  readonly runs: { command: MediaCommand; args: string[]; signal?: AbortSignal }[] = [];
  private readonly real = new SpawnMediaRunner();
  run(command: MediaCommand, args: string[], options: RunOptions = {}) {
    this.runs.push({ command, args, signal: options.signal });
    return this.real.run(command, args, options);
  }
}

const workDir = join(tmpdir(), 'blinked-audio-join-spec');
const runner = new RecordingRunner();
const joiner = new AudioJoiner(runner, workDir);
const probeAudio = (audio: Buffer, extension: 'mp3' | 'wav') => joiner.probe(audio, extension);
const joinMp3 = (parts: Buffer[]) => joiner.joinMp3(parts);

describe('WAV', () => {
  it('joins PCM under one correct header', async () => {
    const joined = joinWav([sineWav(0.5), sineWav(0.25)]);
    expect(joined.readUInt32LE(4)).toBe(joined.length - 8);
    expect(joined.readUInt32LE(40)).toBe(joined.length - 44);
    expect(wavDurationSeconds(joined)).toBeCloseTo(0.75, 6);
    expect((await probeAudio(joined, 'wav')).durationSeconds).toBeCloseTo(0.75, 3);
  });

  it('walks past extra chunks and tolerates a streamed (0-size) data chunk', () => {
    const plain = sineWav(0.1);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc\0')]);
    const withList = Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36)]);
    expect(readPcmWav(withList).pcm.length).toBe(plain.length - 44);
    const streamed = Buffer.from(plain);
    streamed.writeUInt32LE(0, 40);
    expect(wavDurationSeconds(streamed)).toBeCloseTo(0.1, 6);
  });

  it('refuses parts with different layouts and non-WAV input', () => {
    const other = writePcmWav({ ...readPcmWav(sineWav(0.1)), sampleRate: 16000 });
    expect(() => joinWav([sineWav(0.1), other])).toThrow(/WAV parts differ: 24000 Hz.*16000 Hz/);
    expect(() => readPcmWav(Buffer.from('ID3 not a wav file'))).toThrow(/not a RIFF\/WAVE/);
  });
});

describe('MP3', () => {
  it('joins encoder-made parts (ID3 + Xing each) into one MP3 whose duration is the sum', async () => {
    const parts = [await sineMp3(1.3), await sineMp3(2.1)];
    const single = await Promise.all(parts.map((p) => probeAudio(p, 'mp3')));
    const { audio, durationSeconds } = await joinMp3(parts);
    const count = (buf: Buffer, tag: string) => buf.toString('latin1').split(tag).length - 1;
    expect(parts.map((p) => count(p, 'ID3') + count(p, 'Info') + count(p, 'Xing'))).toEqual([2, 2]);
    // One leading tag and one Xing/Info frame for the whole file, none mid-stream.
    expect(count(audio, 'ID3')).toBeLessThanOrEqual(1);
    expect(count(audio, 'Info') + count(audio, 'Xing')).toBe(1);
    expect(durationSeconds).toBeCloseTo(single[0]!.durationSeconds + single[1]!.durationSeconds, 1);
    expect((await probeAudio(audio, 'mp3')).durationSeconds).toBeCloseTo(durationSeconds, 3);
  });

  it('refuses audio ffprobe cannot read', async () => {
    await expect(joinMp3([Buffer.from('not audio at all')])).rejects.toThrow();
  });
});

describe('AudioJoiner', () => {
  it('builds the concat arguments as an array', () => {
    expect(buildMp3ConcatArgs('/w/list.txt', '/w/joined.mp3')).toEqual([
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      '/w/list.txt',
      '-c',
      'copy',
      '-map_metadata',
      '-1',
      '-write_xing',
      '1',
      '-f',
      'mp3',
      '-y',
      '/w/joined.mp3',
    ]);
  });

  it('runs ffmpeg and ffprobe only through MediaRunner, with the signal, in WORK_DIR', async () => {
    runner.runs.length = 0;
    const controller = new AbortController();
    await joiner.joinMp3([await sineMp3(0.4), await sineMp3(0.4)], controller.signal);
    expect(runner.runs.map((r) => r.command)).toEqual(['ffmpeg', 'ffprobe']);
    for (const r of runner.runs) {
      expect(r.signal).toBe(controller.signal);
      expect(r.args.at(-1)!.startsWith(`${workDir}/blinked-${process.pid}-mp3-join-`)).toBe(true);
    }
  });

  it('stops when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(joiner.probe(sineWav(0.1), 'wav', controller.signal)).rejects.toMatchObject({ cancelled: true });
  });
});
