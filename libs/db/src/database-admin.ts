import pg from 'pg';

/**
 * Creating and dropping whole databases, for tools that set up a throwaway one (the
 * storage bench). `adminUrl` points at any database of the server (e.g. /postgres);
 * names are checked, since they cannot be bound as parameters.
 */
export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  await onServer(adminUrl, `CREATE DATABASE ${identifier(name)}`);
}

/** Drops the database, ending any sessions still connected to it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await onServer(adminUrl, `DROP DATABASE IF EXISTS ${identifier(name)} WITH (FORCE)`);
}

function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  return name;
}

async function onServer(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
