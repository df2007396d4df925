import { buildProbeArgs, buildVideoArgs, FFMPEG_COMMON_ARGS, h264LevelFor } from './ffmpeg-args.js';
import { buildConcatList, buildJoinArgs } from './join-args.js';
import { chunkSlides, MAX_FRAME_GAP_SECONDS, planTimeline, ptsExpression, repeatCount, slideWindowMs, videoFramePlan } from './timeline.js';

describe('planTimeline', () => {
  it('gives each slide its narration plus the pause, in whole ms, on the sample grid', () => {
    const t = planTimeline([2, 3.3333333, 1.5], 0.6, 24000);
    expect(t.slides.map((s) => [s.startSeconds, s.endSeconds])).toEqual([
      [0, 2.6],
      [2.6, 6.533],
      [6.533, 8.633],
    ]);
    expect(t.slides.map((s) => s.samples)).toEqual([62400, 94392, 50400]);
    expect(t.totalSamples).toBe(62400 + 94392 + 50400);
    expect(t.durationSeconds).toBe(8.633);
  });

  it('quantises each window from its slide alone: a slide lasts the same wherever it stands', () => {
    const durations = Array.from({ length: 1000 }, (_, i) => 1 + (i % 7) / 3 + i * 1e-5);
    const t = planTimeline(durations, 0.55);
    const alone = durations.map((d) => slideWindowMs(d, 0.55));
    // Each window is its own slide's length, on every grid (ms, 24 kHz samples, 90 kHz ticks).
    t.slides.forEach((s, i) => {
      expect(Math.round((s.endSeconds - s.startSeconds) * 1000)).toBe(alone[i]);
      expect(s.samples).toBe(alone[i]! * 24);
      expect(Math.round(s.startSeconds * 90000)).toBe(Math.round(s.startSeconds * 1000) * 90);
      expect(Math.abs(alone[i]! / 1000 - (durations[i]! + 0.55))).toBeLessThanOrEqual(0.0005 + 1e-9);
    });
    // The whole is exactly the sum of the windows, so joined segments end where the audio does.
    expect(t.totalSamples).toBe(alone.reduce((a, b) => a + b, 0) * 24);
    expect(Math.round(t.durationSeconds * 1000)).toBe(alone.reduce((a, b) => a + b, 0));
    for (let i = 1; i < t.slides.length; i++) expect(t.slides[i]!.startSample).toBe(t.slides[i - 1]!.startSample + t.slides[i - 1]!.samples);
  });

  it('never gives a slide an empty window', () => {
    expect(slideWindowMs(0, 0)).toBe(1);
    expect(slideWindowMs(-3, 0.0001)).toBe(1);
  });
});

describe('buildJoinArgs', () => {
  it('resamples, pads and trims each narration, encodes AAC once and stream-copies the video with chapters', () => {
    expect(
      buildJoinArgs({
        videoPath: '/w/v.ffconcat',
        videoIsConcatList: true,
        audio: [
          { path: '/a/0.wav', samples: 62400 },
          { path: '/a/1.mp3', samples: 48000 },
        ],
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
      '-i',
      '/a/0.wav',
      '-i',
      '/a/1.mp3',
      '-f',
      'ffmetadata',
      '-i',
      '/w/ch.ffmeta',
      '-map_chapters',
      '3',
      '-filter_complex',
      '[1:a:0]aresample=24000,aformat=sample_fmts=fltp:sample_rates=24000:channel_layouts=mono,apad=whole_len=62400,atrim=end_sample=62400,asetpts=N/SR/TB[a0];' +
        '[2:a:0]aresample=24000,aformat=sample_fmts=fltp:sample_rates=24000:channel_layouts=mono,apad=whole_len=48000,atrim=end_sample=48000,asetpts=N/SR/TB[a1];' +
        '[a0][a1]concat=n=2:v=0:a=1[aout]',
      '-map',
      '0:v:0',
      '-map',
      '[aout]',
      '-c:v',
      'copy',
      '-c:a',
      'aac',
      '-aac_coder',
      'fast',
      '-b:a',
      '64k',
      '-ar',
      '24000',
      '-ac',
      '1',
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
    const args = buildJoinArgs({ videoPath: '/w/v.mp4', audio: [{ path: '/a/0.wav', samples: 10 }], outPath: '/o.mp4' });
    expect(args.slice(FFMPEG_COMMON_ARGS.length, FFMPEG_COMMON_ARGS.length + 4)).toEqual(['-i', '/w/v.mp4', '-i', '/a/0.wav']);
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
