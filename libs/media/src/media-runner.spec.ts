import { MediaError, ProgressParser, SpawnMediaRunner, TailBuffer, parseClock } from './media-runner.js';
import { childMediaProcesses } from './test-support.js';

describe('ProgressParser', () => {
  it('emits out_time per progress block, across chunk boundaries', () => {
    const p = new ProgressParser();
    expect(p.push('frame=1\nout_time_us=1500000\nout_time=00:00:01.500000\nprog')).toEqual([]);
    expect(p.push('ress=continue\nout_time_us=N/A\nout_time=00:01:02.250000\nprogress=continue\n')).toEqual([1.5, 62.25]);
    expect(p.push('out_time_us=3000000\nprogress=end\n')).toEqual([3]);
    expect(p.push('progress=continue\n')).toEqual([]);
  });
  it('parses clock strings', () => {
    expect(parseClock('01:02:03.5')).toBe(3723.5);
    expect(parseClock('N/A')).toBeUndefined();
    expect(parseClock('-577014:32:22.775808')).toBeUndefined();
  });
});

describe('TailBuffer', () => {
  it('keeps only the last characters', () => {
    const t = new TailBuffer(10);
    for (let i = 0; i < 100; i++) t.push(`line ${i}\n`);
    expect(t.toString()).toBe('e 98\nline 99\n'.slice(-10));
  });
});

describe('SpawnMediaRunner', () => {
  const runner = new SpawnMediaRunner({ killGraceMs: 500 });

  it('returns stdout of ffprobe', async () => {
    const { stdout } = await runner.run('ffprobe', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'anullsrc=d=1',
      '-show_entries',
      'stream=codec_type',
      '-of',
      'csv=p=0',
    ]);
    expect(stdout.trim()).toBe('audio');
  });

  it('rejects with a MediaError carrying the stderr tail when ffmpeg fails', async () => {
    const err = await runner.run('ffmpeg', ['-nostdin', '-hide_banner', '-y', '-i', '/nonexistent/input.wav', '-f', 'null', '-']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect((err as MediaError).message).toContain('/nonexistent/input.wav');
    expect((err as MediaError).message).toMatch(/No such file or directory/);
    expect((err as MediaError).cancelled).toBe(false);
  });

  it('rejects with a clear MediaError when the binary is missing', async () => {
    const missing = new SpawnMediaRunner({ binaries: { ffmpeg: '/nonexistent/ffmpeg' } });
    await expect(missing.run('ffmpeg', ['-version'])).rejects.toThrow(/could not start.*ENOENT/);
  });

  it('reports progress and, when aborted, kills ffmpeg and rejects as cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    // -re paces the input at real time, so this would run for a minute if not cancelled.
    const run = runner.run(
      'ffmpeg',
      ['-nostdin', '-hide_banner', '-y', '-progress', 'pipe:1', '-stats_period', '0.1', '-re', '-f', 'lavfi', '-i', 'sine=d=60', '-f', 'null', '-'],
      {
        signal: controller.signal,
        onProgress: (t) => {
          seen.push(t);
          if (t > 0) controller.abort();
        },
      },
    );
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect((err as MediaError).cancelled).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(childMediaProcesses()).toEqual([]);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const err = await runner.run('ffmpeg', ['-version'], { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((err as MediaError).cancelled).toBe(true);
  });
});
