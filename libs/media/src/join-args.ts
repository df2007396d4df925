// The last step of a stitch as one ffmpeg: the video segments stream-copied through the
// concat demuxer, the narration joined and encoded to AAC once, chapters, faststart.
// One process instead of an audio encode and a separate mux: the final step after the last
// slide is voiced is on the critical path, and each ffmpeg start costs tens of ms.
import { aacArgs, audioJoinGraph, FFMPEG_COMMON_ARGS } from './ffmpeg-args.js';
import { AUDIO_SAMPLE_RATE, VIDEO_TIMESCALE } from './timeline.js';

/**
 * An ffconcat script listing video segments. Each segment's exact duration is written out:
 * otherwise the demuxer takes the MP4 header's millisecond-rounded duration and every
 * join shifts the later slides by up to a millisecond.
 */
export function buildConcatList(segments: { path: string; durationSeconds: number }[]): string {
  const lines = segments.map((s) => `file '${s.path.replace(/'/g, "'\\''")}'\nduration ${s.durationSeconds.toFixed(6)}\n`);
  return `ffconcat version 1.0\n${lines.join('')}`;
}

export interface JoinArgs {
  /** A video file, or an ffconcat list of video segments when videoIsConcatList. */
  videoPath: string;
  videoIsConcatList?: boolean;
  /** Each slide's narration and its window in samples (padded with silence or trimmed to it). */
  audio: { path: string; samples: number }[];
  /** An FFMETADATA1 file of chapters (chapters.ts), mapped into the output when given. */
  chaptersPath?: string;
  outPath: string;
  sampleRate?: number;
  bitrate?: string;
}

/**
 * Encoding the narration per slide and copying it would keep AAC priming at every join
 * (a click and a drift of 1024 samples a slide): the audio is encoded here, once, whole.
 * +faststart puts moov first so browsers can start playing at once.
 */
export function buildJoinArgs(o: JoinArgs): string[] {
  const rate = o.sampleRate ?? AUDIO_SAMPLE_RATE;
  const chaptersInput = 1 + o.audio.length;
  return [
    ...FFMPEG_COMMON_ARGS,
    ...(o.videoIsConcatList ? ['-f', 'concat', '-safe', '0'] : []),
    '-i',
    o.videoPath,
    ...o.audio.flatMap((a) => ['-i', a.path]),
    ...(o.chaptersPath ? ['-f', 'ffmetadata', '-i', o.chaptersPath, '-map_chapters', String(chaptersInput)] : []),
    '-filter_complex',
    audioJoinGraph(o.audio, 1, rate),
    '-map',
    '0:v:0',
    '-map',
    '[aout]',
    '-c:v',
    'copy',
    ...aacArgs(rate, o.bitrate),
    '-video_track_timescale',
    String(VIDEO_TIMESCALE),
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    o.outPath,
  ];
}
