// Times VideoStitcher.stitch on a 10-slide, ~90 s 1080p deck against the frame-by-frame
// 30 fps way (every frame decoded and encoded), in the same run on the same inputs.
// Usage: npm run bench:stitch  [-- --slides 10 --seconds 9 --preset ultrafast --no-baseline]
// The last line of output is JSON: {"seconds","videoSeconds","rtf","baselineRtf"}.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ASPECT_RATIOS, measureAudioSeconds, probeMedia, SlideRenderer, SpawnMediaRunner, VideoStitcher } from '@app/media';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const slideCount = Number(arg('slides', '10'));
  const secondsPerSlide = Number(arg('seconds', '9'));
  const preset = arg('preset', 'ultrafast') as 'ultrafast' | 'superfast' | 'veryfast';
  const withBaseline = !process.argv.includes('--no-baseline');
  const dir = await mkdtemp(join(tmpdir(), 'bench-stitch-'));
  const runner = new SpawnMediaRunner();
  const { width, height } = ASPECT_RATIOS['16:9'];
  try {
    console.log(`preparing ${slideCount} slides x ~${secondsPerSlide} s in ${dir}`);
    const renderer = new SlideRenderer();
    const slides = [];
    for (let i = 0; i < slideCount; i++) {
      const imagePath = join(dir, `slide-${i}.png`);
      await writeFile(
        imagePath,
        await renderer.render({
          deckTitle: 'Benchmark deck',
          title: `Slide ${i + 1}: how a narrated video is made`,
          bullets: ['A model writes slides and narration', 'A voice reads each slide aloud', 'ffmpeg stitches pictures and sound'],
          index: i,
          total: slideCount,
          aspectRatio: '16:9',
          theme: i % 2 ? 'dark' : 'light',
        }),
      );
      // Narration-like inputs: 22.05 kHz mono WAV (espeak-ng) and, every third slide, 24 kHz MP3 (Google TTS).
      const mp3 = i % 3 === 2;
      const audioPath = join(dir, `voice-${i}.${mp3 ? 'mp3' : 'wav'}`);
      const seconds = secondsPerSlide + (i % 3) * 0.25 - 0.25;
      await runner.run('ffmpeg', [
        '-nostdin', '-hide_banner', '-y', '-loglevel', 'error',
        '-f', 'lavfi', '-i', `sine=frequency=${220 + 40 * i}:sample_rate=${mp3 ? 24000 : 22050}:duration=${seconds}`,
        '-ac', '1', ...(mp3 ? ['-c:a', 'libmp3lame', '-b:a', '64k'] : []), audioPath,
      ]);
      slides.push({ imagePath, audioPath, audioDurationSeconds: await measureAudioSeconds(runner, audioPath) });
    }

    const outPath = join(dir, 'out.mp4');
    const stitcher = new VideoStitcher(runner).withOptions({ preset });
    const t0 = performance.now();
    const result = await stitcher.stitch({ slides, width, height, outPath, workDir: join(dir, 'work') });
    const seconds = (performance.now() - t0) / 1000;
    const probe = await probeMedia(runner, outPath);
    const rtf = result.durationSeconds / seconds;
    console.log(`stitch (${preset}): ${seconds.toFixed(2)} s wall for ${result.durationSeconds.toFixed(2)} s of video = ${rtf.toFixed(1)}x real time`);
    console.log(`  output: ${probe.streams.map((s) => `${s.codecType}/${s.codecName}${s.width ? ` ${s.width}x${s.height} ${s.pixFmt}` : ''}`).join(', ')}, probed ${probe.durationSeconds.toFixed(3)} s`);

    let baselineRtf: number | null = null;
    if (withBaseline) {
      // Frame-by-frame: a 30 fps image sequence (symlinks to the slide PNGs), one picture per
      // frame, plus the narration joined once, encoded together in one ffmpeg.
      const seq = join(dir, 'seq');
      await mkdir(seq);
      let frame = 0;
      for (const [i, s] of result.slides.entries()) {
        const end = Math.round(s.endSeconds * 30);
        for (; frame < end; frame++) await symlink(slides[i].imagePath, join(seq, `${String(frame).padStart(6, '0')}.png`));
      }
      const concatList = join(dir, 'audio.txt');
      await writeFile(concatList, slides.map((s) => `file '${s.audioPath}'\n`).join(''));
      const t1 = performance.now();
      await runner.run('ffmpeg', [
        '-nostdin', '-hide_banner', '-y', '-loglevel', 'error',
        '-framerate', '30', '-i', join(seq, '%06d.png'),
        '-f', 'concat', '-safe', '0', '-i', concatList,
        '-map', '0:v', '-map', '1:a',
        '-c:v', 'libx264', '-preset', preset, '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart',
        join(dir, 'baseline.mp4'),
      ]);
      const baselineSeconds = (performance.now() - t1) / 1000;
      baselineRtf = result.durationSeconds / baselineSeconds;
      console.log(`baseline 30 fps frame-by-frame (${preset}): ${baselineSeconds.toFixed(2)} s wall = ${baselineRtf.toFixed(1)}x real time`);
      console.log(`speed-up: ${(baselineSeconds / seconds).toFixed(1)}x`);
    }
    console.log(
      JSON.stringify({
        seconds: Number(seconds.toFixed(3)),
        videoSeconds: Number(result.durationSeconds.toFixed(3)),
        rtf: Number(rtf.toFixed(1)),
        baselineRtf: baselineRtf === null ? null : Number(baselineRtf.toFixed(1)),
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
