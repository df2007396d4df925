/** An open server-sent events stream: what arrived so far, and whether the server ended it. */
export interface EventStream {
  readonly status: number;
  readonly text: string;
  readonly ended: boolean;
  /** The `progress` events received so far, parsed. */
  progress(): Record<string, unknown>[];
  /** The last event, as `event: …\ndata: …` (comments such as keep-alives left out). */
  last(): string | undefined;
}

/** Opens `url` (absolute) as an event stream and keeps reading it in the background. */
export async function openEvents(url: string, token?: string): Promise<EventStream> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const state = { text: '', ended: false };
  const events = () =>
    state.text
      .split('\n\n')
      .map((e) => e.trim())
      .filter((e) => e.startsWith('event: '));
  if (res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) break;
        state.text += value;
      }
      state.ended = true;
    })();
  } else {
    state.ended = true;
  }
  return {
    status: res.status,
    get text() {
      return state.text;
    },
    get ended() {
      return state.ended;
    },
    progress: () =>
      events()
        .filter((e) => e.startsWith('event: progress\n'))
        .map((e) => JSON.parse(e.slice(e.indexOf('\ndata: ') + 7)) as Record<string, unknown>),
    last: () => events().at(-1),
  };
}
