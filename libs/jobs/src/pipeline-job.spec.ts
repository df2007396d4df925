import { jobOptions } from './job-options.js';
import type { VoiceSlideJob } from './job-payload.types.js';
import { jobIdOf, jobsOfVideo, pipelineJobs, toBullJob } from './pipeline-job.js';
import { JobName, QueueName } from './queue-name.enum.js';

describe('pipeline jobs', () => {
  const id = '3f2b8c1e-0000-4000-8000-000000000001';

  it('maps each typed job to its queue, name, payload and options', () => {
    expect(toBullJob(pipelineJobs.writeDeck(id), 150)).toEqual({
      queueName: QueueName.Slides,
      name: JobName.WriteDeck,
      data: { videoId: id },
      opts: jobOptions(QueueName.Slides, `slides-${id}`, 150),
    });
    expect(toBullJob(pipelineJobs.voiceSlide(id, 3))).toEqual({
      queueName: QueueName.Voice,
      name: JobName.VoiceSlide,
      data: { videoId: id, slideNumber: 3 },
      opts: jobOptions(QueueName.Voice, `voice-${id}-3`),
    });
    expect(jobIdOf(pipelineJobs.stitchVideo(id))).toBe(`stitch-${id}`);
    expect(toBullJob(pipelineJobs.deliverWebhook(id))).toEqual({
      queueName: QueueName.Webhooks,
      name: JobName.DeliverWebhook,
      data: { deliveryId: id },
      opts: jobOptions(QueueName.Webhooks, `webhook-${id}`),
    });
  });

  it('does not compile a payload that does not match its queue', () => {
    // @ts-expect-error a voice job needs its slide number
    const missing: VoiceSlideJob = { queue: QueueName.Voice, name: JobName.VoiceSlide, data: { videoId: id } };
    // @ts-expect-error a voice payload on the slides queue
    toBullJob({ queue: QueueName.Slides, name: JobName.VoiceSlide, data: { videoId: id, slideNumber: 1 } });
    expect(missing.queue).toBe(QueueName.Voice);
  });

  it('lists every job a video can have, by the ids BullMQ holds them under, parent before children', () => {
    expect(jobsOfVideo(id, 3).map(jobIdOf)).toEqual([`slides-${id}`, `stitch-${id}`, `voice-${id}-1`, `voice-${id}-2`, `voice-${id}-3`]);
  });
});
