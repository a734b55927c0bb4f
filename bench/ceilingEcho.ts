/**
 * One of the W processes of the `ceiling` benchmark: reads task lines from the hub and answers each
 * with a result line, parsing and serialising every message as a worker would, and nothing else.
 * Replies to one read are written together (what any sane NDJSON peer does).
 */
import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';

const [portArg, tlsArg, idArg] = process.argv.slice(2);
const port = Number(portArg);
const tls = tlsArg === '1';
const senderId = idArg ?? 'echo';
let nextId = 0;

const socket = tls
  ? connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false })
  : connectTcp({ host: '127.0.0.1', port });
socket.setNoDelay(true);
socket.setEncoding('utf8');
let buffer = '';
socket.on('data', (chunk: string) => {
  const text = buffer + chunk;
  let start = 0;
  let nl: number;
  let out = '';
  while ((nl = text.indexOf('\n', start)) !== -1) {
    const message = JSON.parse(text.slice(start, nl));
    start = nl + 1;
    const task = message.data.task;
    const now = new Date().toISOString();
    out +=
      JSON.stringify({
        message_type: 'task_result',
        sender_id: senderId,
        receiver_id: null,
        message_id: `${senderId}-${++nextId}`,
        timestamp: now,
        data: {
          task_id: task.task_id,
          attempt: task.attempt,
          status: 'success',
          result_data: { echo: task.payload },
          started_at: now,
          completed_at: now,
          duration_ms: 0,
        },
      }) + '\n';
  }
  buffer = text.slice(start);
  if (out) socket.write(out);
});
socket.on('error', () => process.exit(1));
socket.on('close', () => process.exit(0));
