import type { EntityManager } from 'typeorm';
import { Prompt } from '../entities/prompt.entity.js';
import { Video, type VideoStatus } from '../entities/video.entity.js';
import { eventForStatus, type WebhookEventType } from '../entities/webhook-event-type.js';

/**
 * What an event's `data` is made from, as the event stores it: for a video event the row
 * and its prompt as they were in the transaction that changed the status (the worker maps
 * them to the video resource when it delivers, with freshly signed media links); for a
 * test event the data itself.
 */
export type WebhookEventSubject = { kind: 'video'; video: Video; prompt: Pick<Prompt, 'content'> } | { kind: 'data'; data: Record<string, unknown> };

export interface NewWebhookEvent {
  userId: string;
  type: WebhookEventType;
  videoId: string | null;
  subject: WebhookEventSubject;
}

type StoredSubject = { video: Record<string, unknown>; prompt: string } | { data: Record<string, unknown> };

/**
 * Records the event a video's new status is, with one pending delivery per endpoint of
 * its owner that is enabled and subscribed to that type, inside the caller's transaction
 * (the one that changed the status: see VideoRepository.transition). Nothing is written
 * when no endpoint wants it.
 */
export async function recordVideoEvent(em: EntityManager, videoId: string, status: VideoStatus): Promise<void> {
  const type = eventForStatus(status);
  const endpoints = await em.query<{ id: string }[]>(
    `SELECT e.id FROM webhook_endpoints e JOIN videos v ON v.user_id = e.user_id
      WHERE v.id = $1 AND e.disabled_at IS NULL AND $2 = ANY (e.events)`,
    [videoId, type],
  );
  if (!endpoints.length) return;
  const video = await em.findOneByOrFail(Video, { id: videoId });
  const prompt = await em.findOneByOrFail(Prompt, { id: video.promptId });
  await insertWebhookEvent(
    em,
    { userId: video.userId, type, videoId, subject: { kind: 'video', video, prompt: { content: prompt.content } } },
    endpoints.map((e) => e.id),
  );
}

/** One event and a pending delivery of it to each of `endpointIds`; the ids of those deliveries. */
export async function insertWebhookEvent(em: EntityManager, event: NewWebhookEvent, endpointIds: string[]): Promise<string[]> {
  const stored: StoredSubject =
    event.subject.kind === 'video' ? { video: { ...event.subject.video }, prompt: event.subject.prompt.content } : { data: event.subject.data };
  const [row] = await em.query<{ id: string }[]>(
    'INSERT INTO webhook_events (user_id, type, video_id, payload) VALUES ($1, $2, $3, $4::jsonb) RETURNING id',
    [event.userId, event.type, event.videoId, JSON.stringify(stored)],
  );
  const deliveries = await em.query<{ id: string }[]>(
    'INSERT INTO webhook_deliveries (event_id, endpoint_id) SELECT $1, unnest($2::uuid[]) RETURNING id',
    [row!.id, endpointIds],
  );
  return deliveries.map((d) => d.id);
}

/** An event's stored payload back as what the mapping needs (a Video with real dates). */
export function subjectOf(payload: StoredSubject): WebhookEventSubject {
  if ('data' in payload) return { kind: 'data', data: payload.data };
  const raw = payload.video;
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  const video = Object.assign(new Video(), raw, {
    createdAt: date(raw.createdAt)!,
    updatedAt: date(raw.updatedAt)!,
    completedAt: date(raw.completedAt),
  });
  return { kind: 'video', video, prompt: { content: payload.prompt } };
}

export type { StoredSubject };
