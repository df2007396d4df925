import { redisOptions } from './redis-connection.js';

describe('redisOptions', () => {
  it('parses host, port, credentials and db', () => {
    const o = redisOptions('redis://user:p%40ss@cache.local:6380/3', 'worker');
    expect(o).toMatchObject({ host: 'cache.local', port: 6380, username: 'user', password: 'p@ss', db: 3, maxRetriesPerRequest: null });
    expect(o.tls).toBeUndefined();
  });

  it('fails fast for producers and uses TLS for rediss', () => {
    const o = redisOptions('rediss://cache.local', 'producer');
    expect(o).toMatchObject({ port: 6379, db: 0, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    expect(o.tls).toEqual({});
  });
});
