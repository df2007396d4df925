// A bare Fastify server answering every GET with one fixed response: the ceiling the
// polling benchmark compares the api with. Run as its own process (as the api is):
// BARE_RESPONSE='{"status":200,"headers":{…},"body":"…"}' node dist/scripts/bench/bare-server.js
import Fastify from 'fastify';

interface FixedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const fixed = JSON.parse(process.env.BARE_RESPONSE ?? '') as FixedResponse;
const app = Fastify({ logger: false });
app.get('/*', (_request, reply) => {
  void reply.code(fixed.status).headers(fixed.headers).send(fixed.body);
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`bare server listening on ${address}`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
