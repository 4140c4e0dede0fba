/**
 * Bench-only diagnostics hook, preloaded into the bot by `npm run bench`
 * (`node --expose-gc --import tsx --import ./scripts/bench/diagnostics.ts src/index.ts`); `npm start`
 * never loads it. On SIGUSR2 it runs a full garbage collection and writes one JSON line to stderr:
 * `{"msg":"bench memory","rssMb","heapUsedMb","heapTotalMb","externalMb","arrayBuffersMb"}`.
 * It does nothing else.
 */
const gc = (globalThis as { gc?: () => void }).gc;

process.on('SIGUSR2', () => {
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
  process.stderr.write(
    `${JSON.stringify({
      msg: 'bench memory',
      gc: gc !== undefined,
      rssMb: mb(usage.rss),
      heapUsedMb: mb(usage.heapUsed),
      heapTotalMb: mb(usage.heapTotal),
      externalMb: mb(usage.external),
      arrayBuffersMb: mb(usage.arrayBuffers),
    })}\n`,
  );
});
