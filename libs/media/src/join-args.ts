// The last step of a stitch as one ffmpeg that encodes nothing: the video segments and the
// slides' AAC chunks (audio-chunk.ts, joined by bytes into one ADTS file) stream-copied,
// chapters, faststart. The final step after the last slide is voiced is on the critical path.
import { FFMPEG_COMMON_ARGS } from './ffmpeg-args.js';
import { VIDEO_TIMESCALE } from './timeline.js';

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
  /** The narration: the slides' ADTS chunks back to back. */
  audioPath: string;
  /** An FFMETADATA1 file of chapters (chapters.ts), mapped into the output when given. */
  chaptersPath?: string;
  outPath: string;
}

/**
 * Both tracks are copied; the MP4 muxer converts ADTS to raw AAC (aac_adtstoasc) itself.
 * ADTS carries no priming info, so there is no edit list: the first slide's lead frame plays
 * as ~42 ms of near silence, which is exactly its window. +faststart puts moov first so
 * browsers can start playing at once.
 */
export function buildJoinArgs(o: JoinArgs): string[] {
  return [
    ...FFMPEG_COMMON_ARGS,
    ...(o.videoIsConcatList ? ['-f', 'concat', '-safe', '0'] : []),
    '-i',
    o.videoPath,
    '-f',
    'aac',
    '-i',
    o.audioPath,
    ...(o.chaptersPath ? ['-f', 'ffmetadata', '-i', o.chaptersPath, '-map_chapters', '2'] : []),
    '-map',
    '0:v:0',
    '-map',
    '1:a:0',
    '-c',
    'copy',
    '-video_track_timescale',
    String(VIDEO_TIMESCALE),
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    o.outPath,
  ];
}
