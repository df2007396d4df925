// `npm run admin -- grant <email>` / `revoke <email>`: makes an account an admin, or a
// plain user again. Reads DATABASE_URL (and .env) like `npm run db:migrate`; run
// `npm run build` first. Exit codes: 0 done, 1 failed (unknown email, database), 2 usage.
import { ConfigError, loadDotEnv, parseDatabaseConfig } from '@app/config';
import { UserRole, withRepositories } from '@app/db';

const USAGE = 'usage: npm run admin -- grant <email> | revoke <email>';
const ROLE_FOR: Record<string, UserRole> = { grant: UserRole.Admin, revoke: UserRole.User };

export async function main(argv: string[]): Promise<number> {
  const [command, email, ...rest] = argv;
  const role = command === undefined ? undefined : ROLE_FOR[command];
  if (!role || !email || rest.length) {
    console.error(USAGE);
    return 2;
  }
  loadDotEnv();
  try {
    const url = parseDatabaseConfig(process.env).url;
    const found = await withRepositories(url, (r) => r.users.setRoleByEmail(email.trim(), role));
    if (!found) {
      console.error(`admin ${command}: no account has the email ${JSON.stringify(email)}`);
      return 1;
    }
    console.log(`${email}: role is now ${role}`);
    return 0;
  } catch (e) {
    console.error(`admin ${command} failed: ${e instanceof ConfigError ? e.message : (e as Error).message}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
