/**
 * Loaded into the bot process with `--expose-gc --import` by the load test: on SIGUSR2 it runs
 * a full garbage collection and logs the process's memory as a JSON line (`msg: "memory"`), so
 * the test can tell memory still referenced (a leak) from memory V8 has not returned yet.
 */
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  process.stderr.write(
    `${JSON.stringify({ level: 30, msg: 'memory', collected: gc !== undefined, ...usage })}\n`,
  );
});
