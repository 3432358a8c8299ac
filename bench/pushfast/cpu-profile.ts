/**
 * Preloaded into a server process (`NODE_OPTIONS=--import tsx --import <this file>`, with
 * CPU_PROFILE_FILE set) when `--cpu-prof` is refused in NODE_OPTIONS (Node 20): samples the
 * whole process with the inspector's profiler and writes a .cpuprofile when the process exits.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const file = process.env.CPU_PROFILE_FILE;
if (file !== undefined && file !== '') {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  // The main thread's session answers synchronously, so this works in an exit handler.
  process.once('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error === null) writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
