import net from 'node:net';

/**
 * Ports handed out below Linux's ephemeral range (32768–60999), at random: asking the system for
 * port 0 and closing it gave two test workers the same port at once (the second server failed to
 * bind, and its test talked to the first's), and an ephemeral port may be taken by any outgoing
 * connection meanwhile.
 */
const FIRST = 20_000;
const COUNT = 12_000;
/** Never the same port twice in one process, even to callers asking at once. */
const handedOut = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => {
      resolve(false);
    });
    probe.listen(port, '127.0.0.1', () => {
      probe.close(() => {
        resolve(true);
      });
    });
  });
}

/**
 * A TCP port nothing listens on right now, for a test server: never one this process handed out
 * before, and another process picks the same with a chance of one in 12,000.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = FIRST + Math.floor(Math.random() * COUNT);
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await bindable(port)) return port;
  }
  throw new Error(`No free port between ${String(FIRST)} and ${String(FIRST + COUNT - 1)}.`);
}
