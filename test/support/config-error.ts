import { ConfigError } from '@app/config';

/** Runs a config parser that must refuse its input, and returns its one-line message. */
export function oneLineError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected a ConfigError');
}
