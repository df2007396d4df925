// The benchmark's API consumer: signs up, submits videos and watches them finish, through the
// public HTTP API only, as any client would.
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

export interface GenerateRequest {
  prompt: string;
  slideCount: number;
  aspectRatio?: '16:9' | '9:16' | '1:1';
}

export interface Finished {
  id: string;
  status: string;
  /** performance.now() just before the POST was sent and when `completed` was first seen. */
  postedAt: number;
  seenAt: number;
  durationSeconds: number | null;
  error: string | null;
  /** Generation results the video reused from the cache (usage.cacheHits). */
  cacheHits: number;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export class BenchClient {
  private token = '';

  constructor(private readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** A new user for this stack (each stack has a fresh database). */
  async signUp(): Promise<void> {
    const name = `bench_${randomBytes(4).toString('hex')}`;
    const pair = await this.call<{ accessToken: string }>('POST', '/api/v1/auth/register', {
      email: `${name}@bench.local`,
      username: name,
      password: randomBytes(12).toString('base64url'),
    });
    this.token = pair.accessToken;
  }

  async generate(request: GenerateRequest): Promise<{ id: string; postedAt: number }> {
    const postedAt = performance.now();
    const video = await this.call<{ id: string }>('POST', '/api/v1/videos/generate', { aspectRatio: '16:9', ...request });
    return { id: video.id, postedAt };
  }

  /**
   * Polls GET /videos/{id} every `everyMs` until a terminal status, as a careful client does:
   * with If-None-Match, so an unchanged video costs a 304 (one Redis GET on the api) and the
   * polling takes as little CPU as it can from the workers it is timing. The SSE stream would
   * do, but it looks every 500 ms; 20 ms keeps the observation error small beside seconds.
   */
  async waitTerminal(id: string, postedAt: number, everyMs = 20, timeoutMs = 300_000): Promise<Finished> {
    const deadline = performance.now() + timeoutMs;
    let etag: string | null = null;
    while (performance.now() < deadline) {
      const res = await fetch(`${this.baseUrl}/api/v1/videos/${id}`, {
        headers: { authorization: `Bearer ${this.token}`, ...(etag ? { 'if-none-match': etag } : {}) },
      });
      const text = await res.text();
      if (res.status !== 304) {
        if (!res.ok) throw new Error(`GET /api/v1/videos/${id} answered ${res.status}: ${text.slice(0, 300)}`);
        etag = res.headers.get('etag');
        const v = JSON.parse(text) as { status: string; durationSeconds: number | null; error: string | null; usage?: { cacheHits?: number } };
        if (TERMINAL.has(v.status)) {
          const seenAt = performance.now();
          return { id, status: v.status, postedAt, seenAt, durationSeconds: v.durationSeconds, error: v.error, cacheHits: v.usage?.cacheHits ?? 0 };
        }
      }
      await delay(everyMs);
    }
    throw new Error(`video ${id} did not finish within ${timeoutMs / 1000} s`);
  }

  /** Submits one video and waits for it; a video that fails is an error, not a figure. */
  async make(request: GenerateRequest, everyMs?: number): Promise<Finished> {
    const { id, postedAt } = await this.generate(request);
    const done = await this.waitTerminal(id, postedAt, everyMs);
    if (done.status !== 'completed') throw new Error(`video ${id} ended ${done.status}: ${done.error ?? ''}`);
    return done;
  }
}
