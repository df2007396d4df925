/**
 * Splits narration into phrases at punctuation (sentence ends, commas, semicolons, colons,
 * a spaced dash), for engines that cannot time words: each phrase is synthesised and
 * measured on its own. A piece with nothing to say joins its neighbour, and a phrase
 * longer than `maxWords` is cut between words so a caption can follow it.
 */
export function splitPhrases(text: string, maxWords = 12): string[] {
  const phrases: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length === 0) return;
    const phrase = current.join(' ');
    if (/[\p{L}\p{N}]/u.test(phrase) || phrases.length === 0) phrases.push(phrase);
    else phrases[phrases.length - 1] += ` ${phrase}`;
    current = [];
  };
  for (const chunk of text.split(/\s+/u).filter((c) => c !== '')) {
    current.push(chunk);
    if (/[.!?;:,]["')\]”’»]*$/u.test(chunk) || /^[–—-]+$/u.test(chunk) || current.length >= maxWords) flush();
  }
  flush();
  // A leading phrase of punctuation alone joins the next one.
  if (phrases.length > 1 && !/[\p{L}\p{N}]/u.test(phrases[0]!)) phrases.splice(0, 2, `${phrases[0]} ${phrases[1]}`);
  return phrases;
}
