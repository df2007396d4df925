import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAudioDurationArgs } from './probe.js';
import { MediaError, SpawnMediaRunner } from './media-runner.js';
import { readdir, readFile } from 'node:fs/promises';
import { measureAudioSeconds, probeBuffer, probeMedia } from './probe.js';

const runner = new SpawnMediaRunner();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-probe-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function make(name: string, args: string[]): Promise<string> {
  const path = join(dir, name);
  await runner.run('ffmpeg', ['-nostdin', '-hide_banner', '-y', '-loglevel', 'error', ...args, path]);
  return path;
}

describe('probe', () => {
  it('builds ffprobe arguments for the audio duration', () => {
    expect(buildAudioDurationArgs('/a.mp3')).toEqual([
      '-v',
      'error',
      '-hide_banner',
      '-select_streams',
      'a:0',
      '-show_entries',
      'stream=duration,start_time:format=duration',
      '-print_format',
      'json',
      '/a.mp3',
    ]);
  });

  it('measures a WAV and an MP3 to within 20 ms of their real length', async () => {
    const wav = await make('a.wav', ['-f', 'lavfi', '-i', 'sine=sample_rate=22050:duration=2.5', '-ac', '1']);
    const mp3 = await make('a.mp3', ['-f', 'lavfi', '-i', 'sine=sample_rate=24000:duration=1.5', '-ac', '1', '-c:a', 'libmp3lame']);
    expect(await measureAudioSeconds(runner, wav)).toBeCloseTo(2.5, 3);
    expect(Math.abs((await measureAudioSeconds(runner, mp3)) - 1.5)).toBeLessThan(0.02);
  });

  it('describes streams and format', async () => {
    const wav = await make('b.wav', ['-f', 'lavfi', '-i', 'sine=sample_rate=16000:duration=1']);
    const p = await probeMedia(runner, wav);
    expect(p.formatName).toBe('wav');
    expect(p.durationSeconds).toBeCloseTo(1, 3);
    expect(p.streams).toEqual([{ codecType: 'audio', codecName: 'pcm_s16le', sampleRate: 16000 }]);
  });

  it('rejects for a file without audio or a missing file', async () => {
    const png = await make('x.png', ['-f', 'lavfi', '-i', 'color=c=red:s=16x16', '-frames:v', '1']);
    await expect(measureAudioSeconds(runner, png)).rejects.toBeInstanceOf(MediaError);
    await expect(probeMedia(runner, join(dir, 'missing.wav'))).rejects.toThrow(/missing\.wav/);
  });

  it('probes bytes in memory through a scratch file under the work directory, removed afterwards', async () => {
    const wav = await readFile(await make('c.wav', ['-f', 'lavfi', '-i', 'sine=sample_rate=8000:duration=0.5']));
    const workDir = join(dir, 'work');
    const p = await probeBuffer(runner, wav, 'wav', { workDir });
    expect(p.durationSeconds).toBeCloseTo(0.5, 3);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('stops ffprobe when the signal fires', async () => {
    const wav = await make('d.wav', ['-f', 'lavfi', '-i', 'sine=sample_rate=8000:duration=0.5']);
    await expect(probeMedia(runner, wav, { signal: AbortSignal.abort() })).rejects.toMatchObject({ cancelled: true });
  });
});
