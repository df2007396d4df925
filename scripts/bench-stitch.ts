// Times the stitch of a 10-slide, ~90 s 1080p deck as the pipeline now does it, against the
// frame-by-frame 30 fps way (every frame decoded and encoded), in the same run, same inputs,
// interleaved over several rounds.
//
// What is timed, per round:
//  - segments: each slide's segment and its AAC audio chunk encoded by SegmentEncoder (video
//    with one thread), one after another, as a voice job does it (workers run them in parallel across voice jobs and hosts,
//    so the plain sum is the most it can cost; the narration, which runs first, is not timed);
//  - finish: VideoStitcher.stitch over those segments and chunks, all files local: the chunks
//    joined by bytes, both tracks stream-copied, chapters, faststart, in one ffmpeg. This
//    is what stays on the critical path after the last slide is voiced (storage and the
//    database are not in it: see `npm run bench:finish` for the whole stage);
//  - full: VideoStitcher.stitch with no segment, all slides encoded in the final step (the way
//    before segments, and what a stitch does for a video voiced by an older version);
//  - baseline: the frame-by-frame 30 fps encode of the same slides and narration.
// rtf = video seconds / (segments + finish); fullRtf = video / full; baselineRtf = video / baseline.
// Usage: npm run bench:stitch  [-- --rounds 3 --slides 10 --seconds 9 --preset ultrafast --no-baseline]
// The last line of output is JSON: {"bench":"stitch","rtf","baselineRtf","fullRtf","finishSeconds","segmentSeconds","spread"}.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ASPECT_RATIOS,
  CaptionBurner,
  CaptionRenderer,
  measureAudioSeconds,
  probeMedia,
  SegmentEncoder,
  SlideRenderer,
  slideWindowFrames,
  SpawnMediaRunner,
  type StitchSlide,
  VideoStitcher,
} from '@app/media';
import { arg, emit } from './bench/report.js';

const execFileAsync = promisify(execFile);
const PAUSE_SECONDS = 0.6;

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
  for (let k = i; words.length < (seconds * 150) / 60; k++) words.push(...SENTENCES[k % SENTENCES.length]!.split(' '));
  return words
    .slice(0, Math.round((seconds * 150) / 60))
    .join(' ')
    .replace(/[,.]?$/, '.');
}

const since = (t0: number) => (performance.now() - t0) / 1000;

async function main(): Promise<void> {
  const rounds = Number(arg('rounds', '3'));
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
    const slides: StitchSlide[] = [];
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
      slides.push({ imagePath, audioPath, audioDurationSeconds: await measureAudioSeconds(runner, audioPath), title: `Slide ${i + 1}` });
    }

    const encoder = new SegmentEncoder(runner, new CaptionBurner(new CaptionRenderer()));
    const stitcher = new VideoStitcher(runner).withOptions({ preset });
    const figures = {
      rtf: [] as number[],
      finishSeconds: [] as number[],
      segmentSeconds: [] as number[],
      fullRtf: [] as number[],
      baselineRtf: [] as number[],
    };
    let videoSeconds = 0;
    for (let round = 1; round <= rounds; round++) {
      // As the voice jobs do: a segment and its audio chunk per slide, in one ffmpeg run, one encoder thread.
      const t0 = performance.now();
      const withSegments: StitchSlide[] = [];
      for (const [i, s] of slides.entries()) {
        const segmentPath = join(dir, `segment-${round}-${i}.mp4`);
        const audioChunkPath = join(dir, `audio-${round}-${i}.aac`);
        const windowFrames = slideWindowFrames(s.audioDurationSeconds, PAUSE_SECONDS);
        const spec = { imageKey: s.imagePath, imageBytes: 0, windowFrames, width, height };
        const audio = { audioPath: s.audioPath, windowFrames, outPath: audioChunkPath };
        await encoder.encode({ spec, imagePath: s.imagePath, outPath: segmentPath, workDir: join(dir, 'segment-work'), threads: 1, audio });
        withSegments.push({ ...s, segmentPath, audioChunkPath });
      }
      const segmentSeconds = since(t0);
      // The final join, encoding nothing: what is left after the last slide is voiced.
      const outPath = join(dir, `out-${round}.mp4`);
      const t1 = performance.now();
      const result = await stitcher.stitch({ slides: withSegments, width, height, pauseSeconds: PAUSE_SECONDS, outPath, workDir: join(dir, 'work') });
      const finishSeconds = since(t1);
      videoSeconds = result.durationSeconds;
      // Every slide encoded in the final step (no segments).
      const t2 = performance.now();
      await stitcher.stitch({
        slides,
        width,
        height,
        pauseSeconds: PAUSE_SECONDS,
        outPath: join(dir, `full-${round}.mp4`),
        workDir: join(dir, 'work-full'),
      });
      const fullSeconds = since(t2);
      figures.segmentSeconds.push(segmentSeconds);
      figures.finishSeconds.push(finishSeconds);
      figures.rtf.push(videoSeconds / (segmentSeconds + finishSeconds));
      figures.fullRtf.push(videoSeconds / fullSeconds);
      let line = `round ${round}: segments ${segmentSeconds.toFixed(2)} s + finish ${finishSeconds.toFixed(3)} s for ${videoSeconds.toFixed(2)} s of video = ${figures.rtf[figures.rtf.length - 1]!.toFixed(1)}x; all in the final step ${fullSeconds.toFixed(2)} s`;
      if (withBaseline) {
        const baselineSeconds = await frameByFrame(runner, dir, round, slides, result.slides, preset);
        figures.baselineRtf.push(videoSeconds / baselineSeconds);
        line += `; frame-by-frame 30 fps ${baselineSeconds.toFixed(2)} s`;
      }
      console.log(line);
      if (round === 1) {
        const probe = await probeMedia(runner, outPath);
        console.log(
          `  output: ${probe.streams.map((s) => `${s.codecType}/${s.codecName}${s.width ? ` ${s.width}x${s.height} ${s.pixFmt}` : ''}`).join(', ')}, probed ${probe.durationSeconds.toFixed(3)} s`,
        );
      }
    }
    const { baselineRtf, ...rest } = figures;
    emit('stitch', { ...rest, ...(withBaseline ? { baselineRtf } : {}), videoSeconds: Number(videoSeconds.toFixed(3)), slides: slideCount, preset });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Frame-by-frame: a 30 fps image sequence (symlinks to the slide PNGs) plus the narration, in one ffmpeg. Returns its wall seconds. */
async function frameByFrame(
  runner: SpawnMediaRunner,
  dir: string,
  round: number,
  slides: StitchSlide[],
  windows: { endSeconds: number }[],
  preset: string,
): Promise<number> {
  const seq = join(dir, `seq-${round}`);
  await mkdir(seq);
  let frame = 0;
  for (const [i, w] of windows.entries()) {
    const end = Math.round(w.endSeconds * 30);
    for (; frame < end; frame++) await symlink(slides[i]!.imagePath, join(seq, `${String(frame).padStart(6, '0')}.png`));
  }
  const concatList = join(dir, 'audio.txt');
  await writeFile(concatList, slides.map((s) => `file '${s.audioPath}'\n`).join(''));
  const t0 = performance.now();
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
    join(dir, `baseline-${round}.mp4`),
  ]);
  const seconds = since(t0);
  await rm(seq, { recursive: true, force: true });
  return seconds;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
