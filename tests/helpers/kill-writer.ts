/**
 * Child process for the crash-safety test: unlocks the vault and starts a large write
 * in the writer thread; prints STARTED when the first rows are in flight. The test
 * kills this process with SIGKILL at various points.
 */
import { unlockVault } from '../../src-main/vault/vault';
import { runWriterTask } from '../../src-main/vault/writer/client';

const [path, passphrase, rows] = process.argv.slice(2) as [string, string, string];
const session = await unlockVault({ path, operator: 'alice', passphrase });
let started = false;
await runWriterTask(
  session.path,
  session.keyForWriter(),
  'insert-synthetic',
  { rows: Number(rows), marker: 'CRASH', batch: 1000 },
  {
    progress: (_phase, done) => {
      if (!started && done > 0) {
        started = true;
        process.stdout.write('STARTED\n');
      }
    },
  },
);
process.stdout.write('FINISHED\n');
session.lock();
