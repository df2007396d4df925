import type { UserAccess } from '@app/db';

/**
 * What Redis keeps about an account whose credentials changed lately (access-revocations.ts):
 * `g` gone, `d:<ms>` disabled with its tokens_valid_after, `v:<ms>` live with it (0: none).
 * Pure, so the rules are unit-tested without Redis.
 */
export function encodeRevocation(access: UserAccess | undefined): string {
  if (!access) return 'g';
  return `${access.disabled ? 'd' : 'v'}:${access.tokensValidAfter?.getTime() ?? 0}`;
}

/**
 * The account as the record says, for a caller whose role comes from its token's claims
 * (AdminGuard reads the role from the database itself). No record: nothing changed within
 * one access-token lifetime, so the account is as it was when the token was issued.
 * Undefined for a record this code does not understand (the caller asks the database).
 */
export function decodeRevocation(record: string | null, id: string, role: string): { access: UserAccess | undefined } | undefined {
  const live = (disabled: boolean, ms: number): UserAccess => ({
    id,
    role: role as UserAccess['role'],
    disabled,
    tokensValidAfter: ms ? new Date(ms) : null,
  });
  if (record === null) return { access: live(false, 0) };
  if (record === 'g') return { access: undefined };
  const m = /^([dv]):(\d{1,15})$/.exec(record);
  if (!m) return undefined;
  return { access: live(m[1] === 'd', Number(m[2])) };
}

/**
 * Whether the records can be trusted: recording must have started (the marker, written when
 * it starts, is missing after Redis lost its data) at least one record lifetime ago, or a
 * revocation made before it may be missing.
 */
export function recordsTrusted(markerMs: string | null, now: number, lifetimeMs: number): boolean {
  if (markerMs === null || !/^\d{1,15}$/.test(markerMs)) return false;
  return now - Number(markerMs) >= lifetimeMs;
}
