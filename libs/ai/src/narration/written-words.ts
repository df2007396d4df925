/**
 * The words of a narration as a viewer reads them: whitespace-separated, punctuation
 * attached ("world!", "(test);"). A chunk with no letter or digit ("—", "…") is not a
 * word of its own: it joins the word before it (or after it, at the start), so every
 * timed mark is something spoken.
 */
export interface WrittenWords {
  /** The words, each as written. */
  words: string[];
  /** Every whitespace-separated chunk of the text, in order. */
  chunks: string[];
  /** For each chunk, the index of the word it belongs to. */
  wordOfChunk: number[];
}

const SPOKEN = /[\p{L}\p{N}]/u;

export function writtenWords(text: string): WrittenWords {
  const chunks = text.split(/\s+/u).filter((c) => c !== '');
  const words: string[] = [];
  const wordOfChunk: number[] = [];
  let leading = '';
  let leadingChunks = 0;
  for (const chunk of chunks) {
    if (!SPOKEN.test(chunk)) {
      if (words.length === 0) {
        leading = leading ? `${leading} ${chunk}` : chunk;
        leadingChunks++;
        wordOfChunk.push(0);
      } else {
        words[words.length - 1] += ` ${chunk}`;
        wordOfChunk.push(words.length - 1);
      }
      continue;
    }
    words.push(words.length === 0 && leading ? `${leading} ${chunk}` : chunk);
    wordOfChunk.push(words.length - 1);
  }
  // Nothing but punctuation: one "word" so the chunks still map somewhere.
  if (words.length === 0 && leadingChunks > 0) words.push(leading);
  return { words, chunks, wordOfChunk };
}

/** The words a word-timed narration has one mark for. */
export function writtenWordsOf(text: string): string[] {
  return writtenWords(text).words;
}
