/**
 * The parse thread of an import: reads, hashes and parses one file and sends its records
 * to the writer thread in batches, never more than a few ahead (the writer acknowledges
 * each batch), so memory stays flat however fast the parser is. Built to
 * out/main/import-parser.js; started by the writer (parse-in-worker.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isVzError } from '../../core/errors';
import { openImport } from '../read-file';
import { WireEncoder, type ParserToWriter, type WriterToParser } from './wire';

export interface ParserStart {
  path: string;
  format?: string;
}

/** Records per batch, and batches sent ahead of the writer's acknowledgements. */
const BATCH_RECORDS = 512;
const MAX_IN_FLIGHT = 4;

const port = parentPort;
if (!port) throw new Error('the import parser must run in a worker thread');
const start = workerData as ParserStart;
const post = (message: ParserToWriter) => port.postMessage(message);

let inFlight = 0;
let wake: (() => void) | null = null;
port.on('message', (message: WriterToParser) => {
  if (message.t !== 'ack') return;
  inFlight -= 1;
  wake?.();
  wake = null;
});

async function run(): Promise<void> {
  const opened = await openImport(start.path, start.format ? { format: start.format } : {});
  post({
    t: 'start',
    format: opened.importer.format,
    label: opened.importer.label,
    fileName: opened.fileName,
    size: opened.size,
  });
  const encoder = new WireEncoder();
  const flush = async () => {
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
    inFlight += 1;
    post({ t: 'batch', batch: encoder.take(), bytesRead: opened.bytesRead() });
  };
  for await (const record of opened.records) {
    encoder.encode(record);
    if (encoder.size >= BATCH_RECORDS) await flush();
  }
  if (encoder.size) await flush();
  post({ t: 'end', sha256: opened.sha256(), bytesRead: opened.bytesRead() });
}

try {
  await run();
} catch (error) {
  post(
    isVzError(error)
      ? { t: 'error', code: error.code, message: error.message, details: error.details }
      : {
          t: 'error',
          code: 'INTERNAL',
          message: `Import parser failed: ${(error as Error).message}`,
        },
  );
} finally {
  port.close();
}
