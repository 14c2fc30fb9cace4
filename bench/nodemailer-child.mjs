// Child process for bench/throughput.ts: sends one raw message file with nodemailer's SMTP transport, so that
// the process's peak RSS is nodemailer's own. Plain JS (no tsx loader in the measurement).
//   node bench/nodemailer-child.mjs PORT FILE
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';

const [port, file] = process.argv.slice(2);
const transport = nodemailer.createTransport({ host: '127.0.0.1', port: Number(port), secure: false, ignoreTLS: true, name: 'bench.example.test' });
const started = performance.now();
try {
  // `raw` from a path is streamed by nodemailer: its best case.
  const info = await transport.sendMail({ envelope: { from: 'sender@example.test', to: ['rcpt1@example.test'] }, raw: { path: file } });
  console.log(JSON.stringify({ ok: info.accepted.length === 1, ms: performance.now() - started, response: info.response }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, ms: performance.now() - started, response: String(e) }));
  process.exitCode = 1;
} finally {
  transport.close();
}
