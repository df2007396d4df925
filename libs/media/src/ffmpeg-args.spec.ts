import { buildProbeArgs, buildVideoArgs, FFMPEG_COMMON_ARGS, h264LevelFor } from './ffmpeg-args.js';
import { buildConcatList, buildJoinArgs } from './join-args.js';
import {
  AUDIO_LEAD_FRAMES,
  chunkSlides,
  framesToSeconds,
  MAX_FRAME_GAP_SECONDS,
  planTimeline,
  ptsExpression,
  repeatCount,
  slideWindowFrames,
  videoFramePlan,
} from './timeline.js';

describe('planTimeline', () => {
  // Windows are whole AAC frames (1024 samples at 24 kHz: 42.667 ms, 3840 ticks): a lead frame,
  // then narration plus pause rounded up to whole frames (they were whole ms before the slides'
  // audio was encoded per slide; see audio-chunk.ts).
  it('gives each slide a lead frame, then its narration plus the pause rounded up to whole AAC frames', () => {
    const t = planTimeline([2, 3.3333333, 1.5], 0.6);
    // 2.6 s = 60.94 frames -> 61 (+1 lead); 3.9333 s = 92.19 -> 93 (+1); 2.1 s = 49.22 -> 50 (+1).
    expect(t.slides.map((s) => s.samples)).toEqual([62 * 1024, 94 * 1024, 51 * 1024]);
    expect(t.slides.map((s) => [s.startSample, s.startSeconds])).toEqual([
      [0, 0],
      [62 * 1024, (62 * 1024) / 24000],
      [156 * 1024, 6.656],
    ]);
    expect(t.totalSamples).toBe(207 * 1024);
    expect(t.durationSeconds).toBe(8.832);
  });

  it('quantises each window from its slide alone: a slide lasts the same wherever it stands', () => {
    const durations = Array.from({ length: 1000 }, (_, i) => 1 + (i % 7) / 3 + i * 1e-5);
    const t = planTimeline(durations, 0.55);
    const alone = durations.map((d) => slideWindowFrames(d, 0.55));
    // Each window is its own slide's length, on every grid (AAC frames, 24 kHz samples, 90 kHz ticks).
    t.slides.forEach((s, i) => {
      expect(s.samples).toBe(alone[i]! * 1024);
      expect(s.startSample % 1024).toBe(0);
      expect(s.startSeconds * 90000).toBeCloseTo((s.startSample / 1024) * 3840, 6);
      expect(framesToSeconds(alone[i]!)).toBeCloseTo(s.endSeconds - s.startSeconds, 9);
      // The narration and pause fit after the lead, with less than one frame to spare.
      const room = framesToSeconds(alone[i]! - AUDIO_LEAD_FRAMES) - (durations[i]! + 0.55);
      expect(room).toBeGreaterThanOrEqual(-1e-9);
      expect(room).toBeLessThan(1024 / 24000);
    });
    // The whole is exactly the sum of the windows, so joined segments end where the audio does.
    expect(t.totalSamples).toBe(alone.reduce((a, b) => a + b, 0) * 1024);
    for (let i = 1; i < t.slides.length; i++) expect(t.slides[i]!.startSample).toBe(t.slides[i - 1]!.startSample + t.slides[i - 1]!.samples);
  });

  it('never gives a slide an empty window', () => {
    expect(slideWindowFrames(0, 0)).toBe(2);
    expect(slideWindowFrames(-3, 0.0001)).toBe(2);
  });
});

describe('buildJoinArgs', () => {
  it('stream-copies the video parts and the joined ADTS audio, with chapters, encoding nothing', () => {
    expect(
      buildJoinArgs({
        videoPath: '/w/v.ffconcat',
        videoIsConcatList: true,
        audioPath: '/w/audio.aac',
        chaptersPath: '/w/ch.ffmeta',
        outPath: '/w/out.mp4',
      }),
    ).toEqual([
      ...FFMPEG_COMMON_ARGS,
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      '/w/v.ffconcat',
      '-f',
      'aac',
      '-i',
      '/w/audio.aac',
      '-f',
      'ffmetadata',
      '-i',
      '/w/ch.ffmeta',
      '-map_chapters',
      '2',
      '-map',
      '0:v:0',
      '-map',
      '1:a:0',
      '-c',
      'copy',
      '-video_track_timescale',
      '90000',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      '/w/out.mp4',
    ]);
  });

  it('takes one video file directly, without chapters', () => {
    const args = buildJoinArgs({ videoPath: '/w/v.mp4', audioPath: '/a/all.aac', outPath: '/o.mp4' });
    expect(args.slice(FFMPEG_COMMON_ARGS.length, FFMPEG_COMMON_ARGS.length + 6)).toEqual(['-i', '/w/v.mp4', '-f', 'aac', '-i', '/a/all.aac']);
    expect(args).not.toContain('-map_chapters');
  });
});

describe('video frame plan', () => {
  it('never leaves a frame on screen longer than the maximum gap', () => {
    expect(MAX_FRAME_GAP_SECONDS).toBeLessThanOrEqual(0.5);
    expect(repeatCount(0.5, 0.5)).toBe(1);
    expect(repeatCount(0.51, 0.5)).toBe(2);
    expect(repeatCount(9.6, 0.5)).toBe(20);
    expect(repeatCount(9.6, 0.25)).toBe(39);
    expect(repeatCount(0.01)).toBe(1);
    const plan = videoFramePlan(
      [
        { startSeconds: 0, durationSeconds: 2.6 },
        { startSeconds: 2.6, durationSeconds: 3.6 },
      ],
      0.5,
    );
    for (const f of plan) expect(f.stepSeconds).toBeLessThanOrEqual(0.5);
    expect(plan[0]).toEqual({ startSeconds: 0, count: 6, stepSeconds: 2.6 / 6 });
    // The last slide ends with a frame 1/25 s before the end, so the track ends with the audio.
    expect(plan[1].count).toBe(9);
    expect(2.6 + plan[1].stepSeconds * (plan[1].count - 1)).toBeCloseTo(6.2 - 0.04, 9);
  });

  it('maps global frame numbers to absolute 90 kHz timestamps', () => {
    expect(ptsExpression([{ startSeconds: 0, count: 2, stepSeconds: 0.5 }])).toBe('round(0+(N-0)*45000)');
    expect(
      ptsExpression([
        { startSeconds: 0, count: 3, stepSeconds: 0.4 },
        { startSeconds: 1.2, count: 2, stepSeconds: 0.25 },
        { startSeconds: 1.7, count: 1, stepSeconds: 0.3 },
      ]),
    ).toBe('if(lt(N,3),round(0+(N-0)*36000),if(lt(N,5),round(108000+(N-3)*22500),round(153000+(N-5)*27000)))');
  });

  it('writes an explicit level for the frame size', () => {
    expect(h264LevelFor(1920, 1080)).toBe('4.1');
    expect(h264LevelFor(1080, 1920)).toBe('4.1');
    expect(h264LevelFor(1080, 1080)).toBe('4.1');
    expect(h264LevelFor(3840, 2160)).toBe('5.1');
  });
});

describe('buildVideoArgs', () => {
  const args = buildVideoArgs({
    slides: [
      { imagePath: '/s/0.png', startSeconds: 0, durationSeconds: 1 },
      { imagePath: '/s/1.png', startSeconds: 1, durationSeconds: 1.2 },
    ],
    width: 1920,
    height: 1080,
    outPath: '/w/video.mp4',
    maxFrameGapSeconds: 0.5,
  });

  it('is the measured recipe, as an array', () => {
    expect(args).toEqual([
      ...FFMPEG_COMMON_ARGS,
      '-framerate',
      '25',
      '-i',
      '/s/0.png',
      '-framerate',
      '25',
      '-i',
      '/s/1.png',
      '-filter_complex',
      '[0:v:0]scale=1920:1080:force_original_aspect_ratio=decrease:out_color_matrix=bt709:out_range=tv,pad=1920:1080:(ow-iw)/2:(oh-ih)/2,format=yuv420p,setsar=1,loop=loop=1:size=1:start=0[v0];' +
        '[1:v:0]scale=1920:1080:force_original_aspect_ratio=decrease:out_color_matrix=bt709:out_range=tv,pad=1920:1080:(ow-iw)/2:(oh-ih)/2,format=yuv420p,setsar=1,loop=loop=3:size=1:start=0[v1];' +
        "[v0][v1]concat=n=2:v=1:a=0,settb=1/90000,setpts='if(lt(N,2),round(0+(N-0)*45000),round(90000+(N-2)*34800))'[vout]",
      '-map',
      '[vout]',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-qp',
      '20',
      '-bf',
      '0',
      '-g',
      '9999',
      '-keyint_min',
      '1',
      '-sc_threshold',
      '0',
      '-x264-params',
      'sliced-threads=1',
      '-force_key_frames',
      '0.000000,0.999000',
      '-level:v',
      '4.1',
      '-pix_fmt',
      'yuv420p',
      '-colorspace',
      'bt709',
      '-color_primaries',
      'bt709',
      '-color_trc',
      'bt709',
      '-color_range',
      'tv',
      '-fps_mode',
      'passthrough',
      '-enc_time_base',
      '1/90000',
      '-video_track_timescale',
      '90000',
      '-an',
      '-f',
      'mp4',
      '/w/video.mp4',
    ]);
  });

  it('always starts with -nostdin -hide_banner -y', () => {
    expect(args.slice(0, 3)).toEqual(['-nostdin', '-hide_banner', '-y']);
  });
});

describe('passes', () => {
  it('splits slides into bounded passes', () => {
    expect(chunkSlides([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunkSlides([1], 12)).toEqual([[1]]);
  });
  it('lists segments for the concat demuxer, quoting safely', () => {
    expect(
      buildConcatList([
        { path: '/w/video-0.mp4', durationSeconds: 160.9651666 },
        { path: "/w/it's.mp4", durationSeconds: 2 },
      ]),
    ).toBe("ffconcat version 1.0\nfile '/w/video-0.mp4'\nduration 160.965167\nfile '/w/it'\\''s.mp4'\nduration 2.000000\n");
  });
});

describe('buildProbeArgs', () => {
  it('asks ffprobe for JSON format and streams', () => {
    expect(buildProbeArgs('/x.mp4')).toEqual(['-v', 'error', '-hide_banner', '-print_format', 'json', '-show_format', '-show_streams', '/x.mp4']);
  });
});
