/** Longest provider text we quote in a message: enough to act on, not a page of HTML. */
const MAX_QUOTED_CHARS = 300;

/** Replaces every secret (an API key) in `text` with `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    // Very short values would redact ordinary words; keys are long.
    if (s && s.length >= 8) out = out.split(s).join('[redacted]');
  }
  return out;
}

/** Provider text folded onto one line and cut short, so it fits in a job's error. */
export function oneLine(text: string, maxChars = MAX_QUOTED_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars - 1)}…` : flat;
}
