// A TCP forwarder for scripts/test-hosts.sh: `node tcp-forward.mjs <listenHost> <listenPort>
// <targetHost> <targetPort>`. The machine's PostgreSQL listens on 127.0.0.1 only, which a
// process in another network namespace cannot reach (its 127.0.0.1 is its own): this
// listens on the bridge address and pipes each connection to it. Prints "listening" once
// it does; exits on SIGTERM.
import net from 'node:net';

const [listenHost, listenPort, targetHost, targetPort] = process.argv.slice(2);
if (!listenHost || !listenPort || !targetHost || !targetPort) {
  console.error('usage: node tcp-forward.mjs <listenHost> <listenPort> <targetHost> <targetPort>');
  process.exit(2);
}

const server = net.createServer((inbound) => {
  const outbound = net.connect(Number(targetPort), targetHost);
  inbound.pipe(outbound).pipe(inbound);
  // Either side failing ends both: a half-open pair would hold a database session.
  inbound.on('error', () => outbound.destroy());
  outbound.on('error', () => inbound.destroy());
  inbound.on('close', () => outbound.destroy());
  outbound.on('close', () => inbound.destroy());
});
server.on('error', (e) => {
  console.error(`tcp-forward: ${e.message}`);
  process.exit(1);
});
server.listen(Number(listenPort), listenHost, () => console.log(`listening on ${listenHost}:${listenPort} -> ${targetHost}:${targetPort}`));
process.on('SIGTERM', () => process.exit(0));
