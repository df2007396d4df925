import { Writable } from 'node:stream';
import { AppLogger } from './app-logger.js';
import { withLogFields } from './log-context.js';
import { createRootLogger } from './root-logger.js';

/** A destination that keeps each line, parsed. */
function lines() {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, text: () => out.join('\n'), parsed: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const SECRET = 'sk-live-0123456789abcdef';

async function logger(level: 'error' | 'log' | 'verbose' = 'log') {
  const sink = lines();
  const root = await createRootLogger({ app: 'worker', nodeEnv: 'production', logLevel: level, secrets: [SECRET], destination: sink.stream });
  return { sink, root, nest: new AppLogger(root) };
}

describe('the root logger', () => {
  it('writes one JSON object per line, with level names, the process and a timestamp', async () => {
    const { sink, nest } = await logger();
    nest.log('blinked worker 42 started', 'Worker');
    expect(sink.parsed()).toEqual([
      expect.objectContaining({
        level: 'info',
        app: 'worker',
        pid: process.pid,
        context: 'Worker',
        msg: 'blinked worker 42 started',
        time: expect.any(String),
      }),
    ]);
  });

  it('maps LOG_LEVEL onto pino levels: error keeps only errors, verbose keeps everything', async () => {
    const quiet = await logger('error');
    quiet.nest.warn('not shown', 'X');
    quiet.nest.error('shown', 'X');
    expect(quiet.sink.parsed().map((l) => l.msg)).toEqual(['shown']);
    const chatty = await logger('verbose');
    chatty.nest.verbose('details', 'X');
    expect(chatty.sink.parsed()).toEqual([expect.objectContaining({ level: 'trace', msg: 'details' })]);
  });

  it('adds the fields of the unit of work to every line logged inside it, across awaits', async () => {
    const { sink, nest } = await logger();
    await withLogFields({ queue: 'voice', jobId: 'voice-v1-2', attempt: 1, videoId: 'v1' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      nest.warn('slow provider', 'VoiceStage');
    });
    nest.log('outside', 'Worker');
    const [inside, outside] = sink.parsed();
    expect(inside).toMatchObject({ queue: 'voice', jobId: 'voice-v1-2', attempt: 1, videoId: 'v1', msg: 'slow provider' });
    expect(outside).not.toHaveProperty('jobId');
  });

  it('never writes a configured secret, whether in a message, a field or a request id', async () => {
    const { sink, root, nest } = await logger();
    nest.error(`request to https://api.example.com/?key=${SECRET} failed`, 'Gemini');
    root.info({ reqId: SECRET, detail: { nested: `Bearer ${SECRET}` } }, 'request completed');
    expect(sink.text()).not.toContain(SECRET);
    expect(sink.text()).toContain('key=[redacted]');
  });

  it('redacts credentials in structured fields by name', async () => {
    const { sink, root } = await logger();
    root.info({ req: { headers: { authorization: 'Bearer abc.def' } }, body: { password: 'hunter2 hunter2' } }, 'x');
    expect(sink.parsed()[0]).toMatchObject({ req: { headers: { authorization: '[redacted]' } }, body: { password: '[redacted]' } });
  });

  it('keeps start-up failures to one line', async () => {
    const { sink, nest } = await logger();
    nest.error(new Error('connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect'), 'TypeOrmModule');
    expect(sink.parsed()[0]).toMatchObject({ level: 'error', context: 'TypeOrmModule', msg: 'connect ECONNREFUSED 127.0.0.1:5432' });
  });
});
