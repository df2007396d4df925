/**
 * The Scheme a Festival process executes for one narration: select the voice, then for each
 * utterance synthesise it, save its WAV and print when each of its tokens is spoken. The
 * narration only ever appears inside Scheme string literals, escaped, so no text can end the
 * string and run code of its own.
 */

/** The most chunks in one utterance: long unpunctuated text still gets phrase breaks and bounded memory. */
export const MAX_CHUNKS_PER_UTTERANCE = 40;

const SENTENCE_END = /[.!?;:]["')\]]*$/;

/** Festival's voices are Scheme functions `voice_<name>`; only such names are ever written into a script. */
export const FESTIVAL_VOICE_NAME = /^[a-z][a-z0-9_]{0,80}$/;

/**
 * Festival reads bytes, not UTF-8: it would spell "é" or "—" as garbage. Letters lose their
 * accents, typographic punctuation becomes its ASCII twin, anything else is dropped. A chunk
 * left empty becomes "-" (a token with nothing to say), so chunk i stays Festival's token i.
 */
export function festivalChunk(chunk: string): string {
  const ascii = chunk
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[‘’‚‛′]/g, "'")
    .replace(/[“”„‟″«»]/g, '"')
    .replace(/[‐‑‒–—―−]/g, '-')
    .replace(/…/g, '...')
    .replace(/[^\x21-\x7e]/g, '');
  return ascii === '' ? '-' : ascii;
}

/** A Scheme (SIOD) string literal holding `text`, which must be printable ASCII (see festivalChunk). */
export function schemeString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Chunk indices per utterance: cut after a sentence or clause end, or at the size limit. */
export function groupChunks(chunks: readonly string[], max = MAX_CHUNKS_PER_UTTERANCE): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  chunks.forEach((chunk, i) => {
    current.push(i);
    if (SENTENCE_END.test(chunk) || current.length >= max) {
      groups.push(current);
      current = [];
    }
  });
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Prints, per utterance g: `W g token start end` for each spoken word (its first segment's
 * start, its `word_end`), then `E g tokens` with the number of top-level tokens, which the
 * reader checks against the chunks it sent. `(Utterance Text x)` does not evaluate x,
 * hence the `eval`.
 */
export const FESTIVAL_PRELUDE = `
(define (blinked_spoken items)
  (cond ((null items) nil)
        ((item.relation (car items) 'Word) (cons (car items) (blinked_spoken (cdr items))))
        (t (blinked_spoken (cdr items)))))
(define (blinked_say text wavfile group)
  (let ((utt (utt.synth (eval (list 'Utterance 'Text text)))) (tok nil) (i 0))
    (utt.save.wave utt wavfile 'riff)
    (set! tok (utt.relation.first utt 'Token))
    (while tok
      (mapcar
        (lambda (w)
          (format t "W %s %s %s %s\\n" group i
            (item.feat w "R:SylStructure.daughter1.daughter1.segment_start")
            (item.feat w "word_end")))
        (blinked_spoken (item.daughters tok)))
      (set! i (+ i 1))
      (set! tok (item.next tok)))
    (format t "E %s %s\\n" group i)))
`;

export interface FestivalUtterance {
  text: string;
  wavPath: string;
}

/**
 * One narration's forms, for a process that has evaluated FESTIVAL_PRELUDE. Selecting the
 * voice resets hts_engine_params to the voice's own, so the rate of an earlier request in
 * the same process never carries over.
 */
export function festivalRequest(voice: string, speakingRate: number, utterances: readonly FestivalUtterance[]): string {
  if (!FESTIVAL_VOICE_NAME.test(voice)) throw new Error(`not a Festival voice name: ${voice}`);
  if (!(speakingRate > 0 && Number.isFinite(speakingRate))) throw new Error(`speaking rate must be a positive number, got ${speakingRate}`);
  const lines = [
    `(voice_${voice})`,
    // hts_engine's own speed factor (-r): Duration_Stretch does not reach HTS voices.
    `(set! hts_engine_params (append hts_engine_params (list (list "-r" ${speakingRate.toFixed(3)}))))`,
    ...utterances.map((u, g) => `(blinked_say ${schemeString(u.text)} ${schemeString(u.wavPath)} ${g})`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The whole program for a one-off `festival --batch` run: what a warm process is sent, in one file. */
export function festivalScript(voice: string, speakingRate: number, utterances: readonly FestivalUtterance[]): string {
  return `${FESTIVAL_PRELUDE}\n${festivalRequest(voice, speakingRate, utterances)}`;
}
