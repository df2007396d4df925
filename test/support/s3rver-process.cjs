// Runs s3rver (a real S3-compatible server) as its own process for the tests:
// `node --openssl-legacy-provider s3rver-process.cjs <dir> <port> <bucket> [address]`
// (address 127.0.0.1 unless given: scripts/test-hosts.sh binds it to a bridge address).
// The flag matters: s3rver encrypts ListObjectsV2 continuation tokens with DES,
// which OpenSSL 3 only offers through its legacy provider (without it the second
// page of a listing answers 500). Prints {"port":N} once it listens, then one
// {"request":"METHOD /path?query"} line per request, so tests can see what went
// over the wire (a multipart upload, the pages of a listing).
'use strict';
const S3rver = require('s3rver');

const [dir, port, bucket, address = '127.0.0.1'] = process.argv.slice(2);
const server = new S3rver({
  address,
  port: Number(port),
  directory: dir,
  silent: true,
  configureBuckets: bucket ? [{ name: bucket }] : [],
});

server.run().then(
  (address) => {
    server.httpServer.on('request', (req) => process.stdout.write(`${JSON.stringify({ request: `${req.method} ${req.url}` })}\n`));
    process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
  },
  (e) => {
    process.stderr.write(`s3rver: ${e.message}\n`);
    process.exit(1);
  },
);
process.on('SIGTERM', () => server.close().finally(() => process.exit(0)));
