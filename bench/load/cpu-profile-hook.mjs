// Preloaded into a server (NODE_OPTIONS=--import <this file>, CPU_PROFILE_FILE=<out>), since
// --cpu-prof is refused in NODE_OPTIONS: profiles from SIGUSR2 (after seeding and warm-up) to the
// process's exit, where the profile is written.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const file = process.env.CPU_PROFILE_FILE;
if (file) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  process.once('SIGUSR2', () => {
    session.post('Profiler.start');
  });
  process.on('exit', () => {
    // An in-thread inspector session answers synchronously, so this runs before the exit.
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
