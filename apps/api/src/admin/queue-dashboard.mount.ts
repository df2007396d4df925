import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountAccess, QUEUE_DASHBOARD_COOKIE, QUEUE_DASHBOARD_PATH, QueueDashboardPass, type SignedLink } from '@app/auth';
import { UserRepository, UserRole } from '@app/db';
import { ALL_QUEUES } from '@app/jobs';
import { describe, sendError } from '../common/http-error.filter.js';

const NO_SESSION = 'Open the queue dashboard through a link from POST /api/v1/admin/queues/link';
const INVALID_LINK = 'This queue dashboard link is invalid or has expired; ask POST /api/v1/admin/queues/link for a fresh one';
const REVOKED = 'This queue dashboard link was issued before a password change or a disable; sign in again for a fresh one';

/**
 * Bull Board at /admin/queues (outside the /api/v1 prefix, and outside the OpenAPI
 * document: its routes are plain Fastify routes, hidden), over the api's own BullMQ
 * queues (QueuesModule's, closed with the app). Every request under it, page, assets and
 * Bull Board's JSON API alike, passes the gate first: a signed link from
 * POST /api/v1/admin/queues/link is exchanged for a session cookie (HttpOnly,
 * SameSite=Strict, Path=/admin/queues) and a redirect; everything else needs that cookie.
 * Link and cookie answer for the account on every request, as an access token does: 401
 * when it is gone or the link was issued before its tokens_valid_after, 403 when it is
 * disabled or no longer an admin. SameSite=Strict keeps other sites from using the
 * session for Bull Board's state-changing requests (retry, clean, pause).
 */
export async function mountQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const pass = app.get(QueueDashboardPass);
  const users = app.get(UserRepository);
  const queues = ALL_QUEUES.map((name) => app.get<Queue>(getQueueToken(name), { strict: false }));

  const board = new FastifyAdapter();
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'BlinkEd queues' } },
  });
  board.setBasePath(QUEUE_DASHBOARD_PATH);

  /** The account behind a link or a session, if it may still see the dashboard (else a 401 or 403 is thrown). */
  const admit = async (link: SignedLink): Promise<void> => {
    // An unreachable database is not a bad link: its error goes on, and the answer is 503.
    const user = accountAccess(await users.findAccess(link.userId), link.issuedAt.getTime(), { gone: INVALID_LINK, revoked: REVOKED });
    if (user.role !== UserRole.Admin) throw new ForbiddenException('This needs an administrator account');
  };

  const gate = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    try {
      const query = (request.query ?? {}) as Record<string, unknown>;
      if (query.sig !== undefined) {
        const link = pass.verifyLink(query);
        if (!link) throw new UnauthorizedException(INVALID_LINK);
        await admit(link);
        const session = pass.openSession(link);
        const secure = request.protocol === 'https' ? '; Secure' : '';
        // The signed query leaves the address bar (and the history) at once.
        return await reply
          .header(
            'set-cookie',
            `${QUEUE_DASHBOARD_COOKIE}=${session.value}; Path=${QUEUE_DASHBOARD_PATH}; Max-Age=${session.maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`,
          )
          .header('cache-control', 'no-store')
          .redirect(QUEUE_DASHBOARD_PATH, 303);
      }
      const session = pass.verifySession(readCookie(request.headers.cookie, QUEUE_DASHBOARD_COOKIE));
      if (!session) throw new UnauthorizedException(NO_SESSION);
      await admit(session);
      // Its Content-Security-Policy is helmet's, as on every route (common/security-headers.ts):
      // Bull Board's page runs no inline script (its config is an inert JSON block).
      return undefined;
    } catch (error) {
      sendError(reply, describe(error));
      return reply;
    }
  };

  await app.register(
    async (scope: FastifyInstance) => {
      // Added here, the hook runs for every route Bull Board registers in this scope
      // (however the URL was spelled), and for nothing else of the api.
      scope.addHook('onRequest', gate);
      await scope.register(board.registerPlugin());
    },
    { prefix: QUEUE_DASHBOARD_PATH },
  );
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
