/**
 * Runs the kmskit CLI from source (through tsx), for tests that need a real `kmskit` process
 * without depending on a fresh `dist/` build: `node --import tsx test/helpers/kmskit-dev.ts serve`.
 */
import { run } from '../../cli/program.js';

process.env.CHECKPOINT_DISABLE ??= '1';
process.exitCode = await run(process.argv);
