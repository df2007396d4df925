import { jobIds, jobOptions } from './job-options.js';
import { QueueName } from './queue-name.enum.js';

describe('job options', () => {
  const id = '3f2b8c1e-0000-4000-8000-000000000001';

  it('derives ids from the video id, without ":"', () => {
    expect(jobIds.slides(id)).toBe(`slides-${id}`);
    expect(jobIds.voice(id, 3)).toBe(`voice-${id}-3`);
    expect(jobIds.stitch(id)).toBe(`stitch-${id}`);
    expect(jobIds.webhook(id)).toBe(`webhook-${id}`);
    for (const j of [jobIds.slides(id), jobIds.voice(id, 1), jobIds.stitch(id), jobIds.webhook(id)]) expect(j).not.toContain(':');
  });

  it('retries with jittered exponential backoff and keeps failed jobs for a week', () => {
    const o = jobOptions(QueueName.Slides, jobIds.slides(id));
    expect(o).toMatchObject({ jobId: `slides-${id}`, attempts: 4, backoff: { type: 'exponential', delay: 2000, jitter: 0.5 } });
    expect(o.removeOnFail).toEqual({ age: 7 * 24 * 3600 });
  });

  it('takes the backoff base delay from configuration (JOB_BACKOFF_MS)', () => {
    expect(jobOptions(QueueName.Voice, 'x', 150)).toMatchObject({ attempts: 5, backoff: { type: 'exponential', delay: 150, jitter: 0.5 } });
  });

  it('makes a failing voice child fail its parent', () => {
    expect(jobOptions(QueueName.Voice, 'x')).toMatchObject({ failParentOnFailure: true });
    expect(jobOptions(QueueName.Stitch, 'x')).not.toHaveProperty('failParentOnFailure');
  });
});
