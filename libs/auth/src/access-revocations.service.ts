import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService, type ConfigType } from '@nestjs/config';
import { authConfig, type RedisConfig } from '@app/config';
import { type UserAccess, UserRepository } from '@app/db';
import { bullPrefix, createRedisClient, errorMessage, type RedisClient, ThrottledWarning, withinMs } from '@app/jobs';
import { decodeRevocation, encodeRevocation, recordsTrusted } from './revocation-record.js';

const READ_TIMEOUT_MS = 250;

// Two changes of one account published at once may land out of order: a record never goes
// back from gone, nor to an earlier cut-off (a disable and an enable share theirs).
export const PUBLISH_REVOCATION_SCRIPT = `
local old = redis.call('GET', KEYS[1])
if old == 'g' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 0
end
if old and ARGV[1] ~= 'g' and tonumber(string.sub(ARGV[1], 3)) < tonumber(string.sub(old, 3)) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;
const RETRY_MS = 500;
// Clocks of replicas and of the issuer differ a little; the records outlive the tokens by this much.
const CLOCK_MARGIN_MS = 60_000;

/**
 * The account check of an access token without a database read: every place that deletes,
 * disables or cuts off an account's tokens calls `publish`, which writes the account's new
 * state to Redis for one access-token lifetime (older tokens have expired by then).
 * `find` then needs one MGET: the account's record and the marker saying since when records
 * are kept. The database answers instead (as before issue 13) while the marker is missing
 * (Redis restarted empty: it runs without persistence) or younger than a record's lifetime,
 * after a record could not be written (the marker is removed, so every replica falls back),
 * and whenever Redis errs or is slow.
 */
@Injectable()
export class AccessRevocations implements OnModuleDestroy {
  private readonly logger = new Logger('AccessRevocations');
  private readonly client: RedisClient & { publishRevocation(key: string, record: string, lifetimeMs: number): Promise<number> };
  private readonly prefix: string;
  private readonly lifetimeMs: number;
  /** A record could not be written: the marker must go before this replica trusts Redis again. */
  private resetPending = false;
  private retryTimer?: NodeJS.Timeout;
  private readonly warning = new ThrottledWarning(this.logger);

  constructor(
    @Inject(authConfig.KEY) auth: ConfigType<typeof authConfig>,
    config: ConfigService,
    private readonly users: UserRepository,
  ) {
    const redis = config.getOrThrow<RedisConfig>('redis');
    // One hash tag with the rest of the deployment's keys on a cluster, so the MGET stays in one slot.
    this.prefix = `${bullPrefix(redis)}:auth`;
    this.lifetimeMs = auth.accessTokenExpireMinutes * 60_000 + CLOCK_MARGIN_MS;
    const client = createRedisClient(redis, 'producer', { connectionName: 'blinked-api-auth', autoPipelining: true });
    client.on('error', () => undefined);
    client.defineCommand('publishRevocation', { numberOfKeys: 1, lua: PUBLISH_REVOCATION_SCRIPT });
    this.client = client as typeof this.client;
  }

  get markerKey(): string {
    return `${this.prefix}:revocations-since`;
  }

  recordKey(userId: string): string {
    return `${this.prefix}:revoked:${userId}`;
  }

  /** The account as far as a token with these claims is concerned; from the database when Redis cannot say. */
  async find(userId: string, role: string): Promise<UserAccess | undefined> {
    const known = await this.fromRedis(userId, role);
    return known ? known.access : this.users.findAccess(userId);
  }

  /**
   * Writes the account's state as the database has it now; call after every change of it.
   * Never throws: the change is made, and when the record cannot be written the replicas
   * go back to the database (the marker is removed) instead.
   */
  async publish(userId: string): Promise<void> {
    try {
      // Read again, not passed in: the record says what the database says now, after the commit.
      const access = await this.users.findAccess(userId);
      await withinMs(this.client.publishRevocation(this.recordKey(userId), encodeRevocation(access), this.lifetimeMs), READ_TIMEOUT_MS);
    } catch (e) {
      this.warning.warn(`could not record a revocation (${errorMessage(e)}); accounts are checked in the database until Redis answers again`);
      this.resetPending = true;
      this.scheduleReset();
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.client.disconnect();
    await Promise.resolve();
  }

  private async fromRedis(userId: string, role: string): Promise<{ access: UserAccess | undefined } | undefined> {
    if (this.resetPending) return undefined;
    try {
      const [marker, record] = await withinMs(this.client.mget(this.markerKey, this.recordKey(userId)), READ_TIMEOUT_MS);
      const now = Date.now();
      if (marker === null) {
        // Recording starts now; trusted one lifetime later. NX: replicas agree on the first.
        void this.client.set(this.markerKey, String(now), 'NX').catch(() => undefined);
        return undefined;
      }
      if (!recordsTrusted(marker ?? null, now, this.lifetimeMs)) return undefined;
      return decodeRevocation(record ?? null, userId, role);
    } catch (e) {
      this.warning.warn(`did not answer (${errorMessage(e)}); accounts are checked in the database`);
      return undefined;
    }
  }

  /** Removing the marker makes every replica fall back to the database for one lifetime. */
  private scheduleReset(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      withinMs(this.client.del(this.markerKey), READ_TIMEOUT_MS).then(
        () => (this.resetPending = false),
        () => this.scheduleReset(),
      );
    }, RETRY_MS);
    this.retryTimer.unref();
  }
}
