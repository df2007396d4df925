import { MIN_SCRUBBED_LENGTH, secretValues } from './secret-values.js';

describe('secretValues', () => {
  it('collects the secret settings and the passwords in connection URLs', () => {
    const values = secretValues({
      SECRET_KEY: 'k'.repeat(40),
      OPENAI_API_KEY: 'sk-test-0123456789',
      METRICS_TOKEN: 'scrape-token-0123',
      DATABASE_URL: 'postgres://app:db%2Fpassword-0123@db:5432/blinked',
      REDIS_URL: 'redis://127.0.0.1:6379',
      S3_BUCKET: 'not-a-secret-bucket-name',
    });
    expect(values.sort()).toEqual(['db/password-0123', 'k'.repeat(40), 'scrape-token-0123', 'sk-test-0123456789'].sort());
  });

  it('leaves short values alone, so a development password does not garble every line', () => {
    expect(secretValues({ DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1/blinked', SECRET_KEY: 'x'.repeat(MIN_SCRUBBED_LENGTH - 1) })).toEqual([]);
  });

  it('ignores what is not a URL', () => {
    expect(secretValues({ DATABASE_URL: 'not a url' })).toEqual([]);
  });
});
