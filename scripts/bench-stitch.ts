// Times VideoStitcher.stitch on a 10-slide, ~90 s 1080p deck against the frame-by-frame
// 30 fps way (every frame decoded and encoded), in the same run on the same inputs.
// Usage: npm run bench:stitch  [-- --slides 10 --seconds 9 --preset ultrafast --no-baseline]
// The last line of output is JSON: {"seconds","videoSeconds","rtf","baselineRtf"}.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ASPECT_RATIOS, measureAudioSeconds, probeMedia, SlideRenderer, SpawnMediaRunner, VideoStitcher } from '@app/media';

const execFileAsync = promisify(execFile);

const SENTENCES = [
  'Photosynthesis turns light, water and carbon dioxide into sugar and oxygen.',
  'Chlorophyll in the leaves absorbs mostly red and blue light.',
  'The light reactions split water and store energy in small carrier molecules.',
  'The Calvin cycle then uses that energy to fix carbon from the air.',
  'Almost every food chain on Earth starts with this process.',
];
/** About `seconds` of speech at espeak-ng's ~150 words per minute (measured). */
function narration(i: number, seconds: number): string {
  const words: string[] = [];
  for (let k = i; words.length < (seconds * 150) / 60; k++) words.push(...SENTENCES[k % SENTENCES.length].split(' '));
  return words
    .slice(0, Math.round((seconds * 150) / 60))
    .join(' ')
    .replace(/[,.]?$/, '.');
}

/** CPU seconds used by reaped child processes (ffmpeg), from /proc/self/stat. */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of stat (cutime, cstime) are at 13 and 14 after the comm field; clock ticks, 100 Hz on Linux.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

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
      // Real narration: espeak-ng writes 22.05 kHz mono WAV (our offline voice); every third
      // slide is re-encoded to 24 kHz MP3 like Google TTS output, so sample rates are mixed.
      const wavPath = join(dir, `voice-${i}.wav`);
      await execFileAsync('espeak-ng', ['-s', '165', '-w', wavPath, narration(i, secondsPerSlide)]);
      let audioPath = wavPath;
      if (i % 3 === 2) {
        audioPath = join(dir, `voice-${i}.mp3`);
        await runner.run('ffmpeg', [
          '-nostdin',
          '-hide_banner',
          '-y',
          '-loglevel',
          'error',
          '-i',
          wavPath,
          '-ar',
          '24000',
          '-c:a',
          'libmp3lame',
          '-b:a',
          '64k',
          audioPath,
        ]);
      }
      slides.push({ imagePath, audioPath, audioDurationSeconds: await measureAudioSeconds(runner, audioPath) });
    }

    const outPath = join(dir, 'out.mp4');
    const stitcher = new VideoStitcher(runner).withOptions({ preset });
    const cpu0 = childCpuSeconds();
    const t0 = performance.now();
    const result = await stitcher.stitch({ slides, width, height, outPath, workDir: join(dir, 'work') });
    const seconds = (performance.now() - t0) / 1000;
    const stitchCpu = childCpuSeconds() - cpu0;
    const probe = await probeMedia(runner, outPath);
    const rtf = result.durationSeconds / seconds;
    console.log(`stitch (${preset}): ${seconds.toFixed(2)} s wall for ${result.durationSeconds.toFixed(2)} s of video = ${rtf.toFixed(1)}x real time`);
    console.log(
      `  ffmpeg CPU time ${stitchCpu.toFixed(2)} s (on an idle ${os.cpus().length}-core machine the wall time is about CPU/cores); load average now ${os.loadavg()[0].toFixed(1)}`,
    );
    console.log(
      `  output: ${probe.streams.map((s) => `${s.codecType}/${s.codecName}${s.width ? ` ${s.width}x${s.height} ${s.pixFmt}` : ''}`).join(', ')}, probed ${probe.durationSeconds.toFixed(3)} s`,
    );

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
      const cpu1 = childCpuSeconds();
      const t1 = performance.now();
      await runner.run('ffmpeg', [
        '-nostdin',
        '-hide_banner',
        '-y',
        '-loglevel',
        'error',
        '-framerate',
        '30',
        '-i',
        join(seq, '%06d.png'),
        '-f',
        'concat',
        '-safe',
        '0',
        '-i',
        concatList,
        '-map',
        '0:v',
        '-map',
        '1:a',
        '-c:v',
        'libx264',
        '-preset',
        preset,
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-movflags',
        '+faststart',
        join(dir, 'baseline.mp4'),
      ]);
      const baselineSeconds = (performance.now() - t1) / 1000;
      const baselineCpu = childCpuSeconds() - cpu1;
      baselineRtf = result.durationSeconds / baselineSeconds;
      console.log(
        `baseline 30 fps frame-by-frame (${preset}): ${baselineSeconds.toFixed(2)} s wall = ${baselineRtf.toFixed(1)}x real time, ffmpeg CPU ${baselineCpu.toFixed(2)} s`,
      );
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
