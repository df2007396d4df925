import { Injectable, NotFoundException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { setTimeout as delay } from 'node:timers/promises';
import { TERMINAL_STATUSES, VideoStatus } from '@app/db';
import { VideosService } from './videos.service.js';

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;
const MAX_STREAM_MS = 60 * 60_000;

/**
 * Server-sent events for one video. It reads the row the worker updates, so it
 * needs no extra channel and works with any number of api replicas.
 */
@Injectable()
export class VideoEventsService {
  constructor(private readonly videos: VideosService) {}

  async stream(userId: string, id: string, reply: FastifyReply): Promise<void> {
    let last = await this.videos.get(userId, id); // 404 before any byte is sent
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let closed = false;
    raw.on('close', () => (closed = true));
    const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('progress', last);
    const started = Date.now();
    let lastWrite = Date.now();
    try {
      while (!closed && !TERMINAL_STATUSES.includes(last.status as VideoStatus) && Date.now() - started < MAX_STREAM_MS) {
        await delay(POLL_MS);
        // Only a read that succeeds and finds no row means "deleted"; a failed read (the
        // database restarting) keeps the stream open and the next poll tries again.
        const now = await this.videos.get(userId, id).catch((e: unknown) => (e instanceof NotFoundException ? null : undefined));
        if (now === null) {
          send('deleted', { id });
          break;
        }
        if (now === undefined) {
          if (Date.now() - lastWrite > HEARTBEAT_MS) {
            raw.write(': keep-alive\n\n');
            lastWrite = Date.now();
          }
          continue;
        }
        if (now.status !== last.status || now.progress !== last.progress || now.stage !== last.stage) {
          send('progress', now);
          lastWrite = Date.now();
        } else if (Date.now() - lastWrite > HEARTBEAT_MS) {
          raw.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        last = now;
      }
    } finally {
      raw.end();
    }
  }
}
