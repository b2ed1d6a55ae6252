// A fixed-rate (open-loop) client: `node fixed-rate.mjs <h1|h2> <url> <authority> <rps> <seconds>` prints JSON.
// Requests are sent on schedule, evenly spaced, whether or not earlier ones were answered (open loop), so a
// stalled proxy shows in the latency of every request caught behind it. Latency runs from the actual send: the
// client's own timer lateness (up to a millisecond between timer ticks) is not the proxy's. Debian's wrk has no
// -R, and h2load --rps releases requests in bursts every 100 ms, which measures queueing instead.
import http from 'node:http';
import http2 from 'node:http2';

const [protocol, url, authority, rpsArg, secondsArg] = process.argv.slice(2);
const rps = Number(rpsArg);
const total = Math.round(rps * Number(secondsArg));
const interval = 1000 / rps;
const latencies = [];
let finished = 0;
let failed = 0;

function record(sentAt, ok) {
  if (ok) latencies.push(performance.now() - sentAt);
  else failed += 1;
  finished += 1;
  if (finished === total) report();
}

let send;
if (protocol === 'h1') {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  send = (sentAt) => {
    const req = http.request(url, { agent, headers: { host: authority } }, (res) => {
      res.resume();
      res.on('end', () => record(sentAt, res.statusCode === 200));
    });
    req.on('error', () => record(sentAt, false));
    req.end();
  };
} else {
  const session = http2.connect(url);
  session.on('error', () => {});
  send = (sentAt) => {
    const stream = session.request({ ':path': new URL(url).pathname, ':authority': authority });
    let status = 0;
    stream.on('response', (headers) => {
      status = headers[':status'];
    });
    stream.on('error', () => {});
    stream.on('close', () => record(sentAt, status === 200));
    stream.resume();
  };
}

const started = performance.now() + 20;
let sent = 0;
function tick() {
  const now = performance.now();
  while (sent < total && started + sent * interval <= now) {
    send(performance.now());
    sent += 1;
  }
  if (sent < total) setTimeout(tick, Math.max(0, started + sent * interval - performance.now()));
}
setTimeout(tick, 20);

function report() {
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? null;
  process.stdout.write(`${JSON.stringify({ rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99), failed })}\n`);
  process.exit(0);
}
