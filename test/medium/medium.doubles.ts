// Wrappers around the real adapters that count what reaches them, for specs that check
// a stage did (or did not) do work. They delegate, so the output is the real thing.
import { Narrator, type NarrationRequest, type NarrationResult, SlideWriter, type SlideWriterResult } from '@app/ai';
import type { DeckRequest } from '@app/ai';
import { type MediaCommand, MediaRunner, type RunOptions, SlideRenderer } from '@app/media';

export class CountingSlideWriter extends SlideWriter {
  readonly provider: string;
  readonly model: string;
  readonly templateVersion: string;
  calls = 0;

  constructor(private readonly inner: SlideWriter) {
    super();
    this.provider = inner.provider;
    this.model = inner.model;
    this.templateVersion = inner.templateVersion;
  }

  write(request: DeckRequest): Promise<SlideWriterResult> {
    this.calls++;
    return this.inner.write(request);
  }
}

export class CountingSlideRenderer extends SlideRenderer {
  calls = 0;

  override render(input: Parameters<SlideRenderer['render']>[0]): Promise<Buffer> {
    this.calls++;
    return super.render(input);
  }
}

export class CountingNarrator extends Narrator {
  readonly provider: string;
  readonly audioFormat: NarrationResult['format'];
  calls = 0;

  constructor(private readonly inner: Narrator) {
    super();
    this.provider = inner.provider;
    this.audioFormat = inner.audioFormat;
  }

  // Return type left to the port (it may be sync or async), so this wrapper follows it.
  resolveVoice(request: NarrationRequest) {
    return this.inner.resolveVoice(request);
  }

  narrate(request: NarrationRequest): Promise<NarrationResult> {
    this.calls++;
    return this.inner.narrate(request);
  }

  /** Counts the calls when the wrapped narrator speaks itself (no routing by language). */
  override speakerFor(request: NarrationRequest): Narrator {
    const speaker = this.inner.speakerFor(request);
    return speaker === this.inner ? this : speaker;
  }
}

export class CountingMediaRunner extends MediaRunner {
  readonly commands: MediaCommand[] = [];

  constructor(private readonly inner: MediaRunner) {
    super();
  }

  run(command: MediaCommand, args: string[], options?: RunOptions) {
    this.commands.push(command);
    return this.inner.run(command, args, options);
  }
}

/** A promise the spec resolves when it chooses: fixes the order of concurrent steps without timing. */
export function gate<T = void>() {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => (open = resolve));
  return { opened, open };
}
