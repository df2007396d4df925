import { buildVideoArgs } from './ffmpeg-args.js';
import { chunkByImages, MIN_SHOT_SECONDS, planShots, slideShots } from './slide-shots.js';
import { IMAGE_FRAMERATE, MAX_FRAME_GAP_SECONDS, videoFramePlan } from './timeline.js';

const span = (s: { startSeconds: number; durationSeconds: number }) => [s.startSeconds, s.startSeconds + s.durationSeconds];

describe('slides with several images (burned caption states)', () => {
  it('shows the slide, then each change from its offset, covering the slide exactly', () => {
    const shots = slideShots({
      imagePath: 'base',
      startSeconds: 2,
      durationSeconds: 3,
      changes: [
        { imagePath: 'cue2', offsetSeconds: 1.5 },
        { imagePath: 'cue1', offsetSeconds: 0.25 },
        { imagePath: 'gap', offsetSeconds: 2.5 },
        { imagePath: 'after-the-end', offsetSeconds: 3 },
      ],
    });
    expect(shots.map((s) => s.imagePath)).toEqual(['base', 'cue1', 'cue2', 'gap']);
    expect(shots.map(span)).toEqual([
      [2, 2.25],
      [2.25, 3.5],
      [3.5, 4.5],
      [4.5, 5],
    ]);
  });

  it('folds changes closer than one image frame period into the later image, so no two frames share a tick', () => {
    const shots = slideShots({
      imagePath: 'base',
      startSeconds: 0,
      durationSeconds: 2,
      changes: [
        { imagePath: 'a', offsetSeconds: 0 },
        { imagePath: 'b', offsetSeconds: 1 },
        { imagePath: 'c', offsetSeconds: 1.01 },
        { imagePath: 'd', offsetSeconds: 1.99 },
      ],
    });
    expect(shots.map((s) => s.imagePath)).toEqual(['a', 'd']);
    expect(shots.map(span)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    for (const s of shots) expect(s.durationSeconds).toBeGreaterThanOrEqual(MIN_SHOT_SECONDS);
  });

  it("gives the video's last shot room for the end frame, taking it from the shot before", () => {
    const shots = planShots([
      { imagePath: 's0', startSeconds: 0, durationSeconds: 1 },
      { imagePath: 's1', startSeconds: 1, durationSeconds: 2, changes: [{ imagePath: 'last-cue', offsetSeconds: 1.95 }] },
    ]);
    expect(shots.map((s) => s.imagePath)).toEqual(['s0', 's1', 'last-cue']);
    expect(shots[2]!.durationSeconds).toBeCloseTo(3 / IMAGE_FRAMERATE, 9);
    expect(span(shots[2]!)[1]).toBeCloseTo(3, 9);
    const plan = videoFramePlan(shots);
    const end = plan[2]!.startSeconds + plan[2]!.stepSeconds * (plan[2]!.count - 1) + 1 / IMAGE_FRAMERATE;
    expect(end).toBeCloseTo(3, 9);
    for (const f of plan) expect(f.stepSeconds).toBeLessThanOrEqual(MAX_FRAME_GAP_SECONDS);
  });

  it('bounds the images per pass, cutting a slide with many caption states into parts', () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ imagePath: `w${i}`, offsetSeconds: 0.5 + i * 0.5 }));
    const passes = chunkByImages(
      [
        { imagePath: 'a', startSeconds: 0, durationSeconds: 1 },
        { imagePath: 'b', startSeconds: 1, durationSeconds: 6, changes: many },
        { imagePath: 'c', startSeconds: 7, durationSeconds: 1 },
      ],
      4,
    );
    const images = passes.map((p) => p.flatMap((s) => [s.imagePath, ...(s.changes ?? []).map((c) => c.imagePath)]));
    expect(images).toEqual([['a'], ['b', 'w0', 'w1', 'w2'], ['w3', 'w4', 'w5', 'w6'], ['w7', 'w8', 'c']]);
    for (const p of images) expect(p.length).toBeLessThanOrEqual(4);
    // The parts still tile the slide's window exactly.
    const parts = passes.flat();
    for (let i = 1; i < parts.length; i++) expect(parts[i]!.startSeconds).toBeCloseTo(parts[i - 1]!.startSeconds + parts[i - 1]!.durationSeconds, 9);
    expect(parts[2]!.startSeconds).toBeCloseTo(3, 9);
    expect(parts[2]!.changes!.map((c) => c.offsetSeconds)).toEqual([0.5, 1, 1.5]);
  });

  it('gives each image its own input and frames, with keyframes only at slide starts', () => {
    const args = buildVideoArgs({
      slides: [
        { imagePath: '/s/0.png', startSeconds: 0, durationSeconds: 1, changes: [{ imagePath: '/s/0-cue0.png', offsetSeconds: 0.5 }] },
        { imagePath: '/s/1.png', startSeconds: 1, durationSeconds: 1.2 },
      ],
      width: 1920,
      height: 1080,
      outPath: '/w/video.mp4',
      maxFrameGapSeconds: 0.5,
    });
    expect(args.filter((a, i) => args[i - 1] === '-i')).toEqual(['/s/0.png', '/s/0-cue0.png', '/s/1.png']);
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain('[v0][v1][v2]concat=n=3:v=1:a=0');
    expect(graph).toContain("setpts='if(lt(N,1),round(0+(N-0)*45000),if(lt(N,2),round(45000+(N-1)*45000),round(90000+(N-2)*34800)))'");
    expect(args[args.indexOf('-force_key_frames') + 1]).toBe('0.000000,0.999000');
  });
});
