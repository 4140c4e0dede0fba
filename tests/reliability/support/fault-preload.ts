/**
 * Loaded into the bot process with `--import` by the fault tests: on SIGUSR2 it leaves a promise
 * rejection unhandled and throws from a timer, outside any handler, to prove the process logs
 * both and keeps serving.
 */
process.on('SIGUSR2', () => {
  void Promise.reject(new Error('injected fault: a rejection nobody handled'));
  setTimeout(() => {
    throw new Error('injected fault: an exception outside any handler');
  }, 10);
});
