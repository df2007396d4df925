/**
 * When each part of a narration is spoken, measured from the engine's own output (Festival
 * word ends, Google TTS SSML mark timepoints, or each phrase synthesised and measured):
 * never estimated from character counts. Seconds from the start of the slide's audio.
 */
export interface SpeechMark {
  text: string;
  startSeconds: number;
  endSeconds: number;
}

export interface SpeechTiming {
  /** `word`: one mark per word; `phrase`: one per phrase (engines that cannot time words). */
  granularity: 'word' | 'phrase';
  marks: SpeechMark[];
}
