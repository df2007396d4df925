const REDACTED = '[redacted]';

/**
 * A pino `streamWrite` hook that replaces each secret value in a serialized line,
 * raw and as JSON escapes it. Structured fields are redacted by path before this;
 * this catches free text (an error message quoting a URL or a header).
 */
export function secretScrubber(secrets: readonly string[]): ((line: string) => string) | undefined {
  const forms = [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))].filter(Boolean);
  if (!forms.length) return undefined;
  return (line) => {
    let out = line;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  };
}
