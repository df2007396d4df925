/** A configuration problem, reported as one line before the process exits. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
