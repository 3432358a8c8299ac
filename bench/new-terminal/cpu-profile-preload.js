// Loaded with NODE_OPTIONS="--import <this file>" into a server process (Node 20 refuses
// --cpu-prof in NODE_OPTIONS): profiles the whole process and writes CPU_PROFILE_FILE on exit.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const file = process.env.CPU_PROFILE_FILE;
if (file) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // An in-thread session answers synchronously, so this still runs before the process ends.
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
