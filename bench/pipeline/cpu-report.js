// Preloaded into a benchmarked child process (`node --require`): on exit, writes its CPU time (user +
// system, ms) to the file named by FORGE_BENCH_CPU_FILE, so a run reports CPU next to wall time on a
// shared machine where wall time also counts waiting for a core.
const { writeFileSync } = require('node:fs');
const file = process.env.FORGE_BENCH_CPU_FILE;
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(file, String((user + system) / 1000));
  });
}
