/**
 * Wiring only: config → logger → story library → store → the Discord bot when DISCORD_TOKEN is
 * set, otherwise the terminal shell. Commands are registered by `npm run deploy`, never here.
 * SIGHUP reloads the library; SIGTERM/SIGINT shut down cleanly.
 */
import { Events } from 'discord.js';
import { commands } from '../commands/index.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { createClient, createMessenger, startBot } from './discord/client.ts';
import type { LibraryHolder } from './discord/port.ts';
import { createRouter } from './discord/router.ts';
import { createLibraryHolder, createServices } from './discord/services.ts';
import { recoverQuizzes, stopQuizTimers } from './game/index.ts';
import { type LibraryCache, loadLibrary, openLibraryCache } from './library/index.ts';
import type { Library } from './library/types.ts';
import { type Logger, loggerFromConfig } from './logger.ts';
import { loggedProgress, terminalProgress } from './progress.ts';
import { systemClock } from './shell/clock.ts';
import { SHELL_GUILD_ID } from './shell/ids.ts';
import { createShell } from './shell/shell.ts';
import { openStore } from './state/store.ts';

/** Reads the data folder through the parsed-library cache (unchanged files are not parsed again). */
async function readLibrary(config: Config, logger: Logger, cache: LibraryCache): Promise<Library> {
  // A terminal shows a line redrawn in place; a server's log gets a count every few seconds.
  const onProgress = terminalProgress() ?? loggedProgress(logger);
  const library = await loadLibrary(config.dataDir, { cache, onProgress });
  for (const problem of library.problems)
    logger.warn({ file: problem.file, reason: problem.reason }, 'story skipped');
  logger.info(
    {
      dir: config.dataDir,
      stories: library.stories.length,
      problems: library.problems.length,
      cache: { dir: cache.dir, ...cache.stats },
    },
    'library loaded',
  );
  return library;
}

function shellBanner(library: Library, config: Config, backend: string, location: string): string[] {
  const lines = [
    `ficbot shell: ${library.stories.length} stor${library.stories.length === 1 ? 'y' : 'ies'} loaded from ${library.dir}` +
      (library.problems.length > 0 ? `, ${library.problems.length} file(s) skipped:` : '.'),
    ...library.problems.slice(0, 10).map((problem) => `  - ${problem.file}: ${problem.reason}`),
    `Settings and scores are stored in ${backend} (${location}).`,
    config.discordToken === undefined
      ? 'To go live on Discord: put DISCORD_TOKEN and DISCORD_CLIENT_ID in .env (see .env.example), run `npm run deploy` once, then `npm start`.'
      : '',
    'Type /help for the commands, :help for the shell (:as, :mod, :channel, :press, :quit).',
  ];
  return lines.filter((line) => line !== '');
}

/**
 * SIGHUP re-reads the data folder. A folder that cannot be read (missing mid-deploy) keeps the
 * stories already loaded; when reloads overlap, only the latest one is applied.
 */
function watchReload(holder: LibraryHolder, config: Config, logger: Logger, cache: LibraryCache): void {
  let latest = 0;
  process.on('SIGHUP', () => {
    const reload = ++latest;
    void readLibrary(config, logger, cache).then(
      (library) => {
        if (reload !== latest) return;
        holder.replace(library);
        logger.info({ stories: library.stories.length }, 'library reloaded (SIGHUP)');
      },
      (error: unknown) =>
        logger.error(
          { err: error, dir: config.dataDir, stories: holder.current().stories.length },
          'library reload failed; keeping the stories already loaded',
        ),
    );
  });
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // In the terminal shell, log lines would interleave with the conversation: warnings only,
  // unless LOG_LEVEL asks for more. The bot logs at LOG_LEVEL (default info).
  const shellMode = config.discordToken === undefined;
  const logger = loggerFromConfig(
    shellMode && !config.logLevelSet ? { ...config, logLevel: 'warn', discordToken: undefined } : config,
  );
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  process.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught exception'));

  const cache = await openLibraryCache({ onWarning: (message) => logger.warn(message) });
  const initial = await readLibrary(config, logger, cache).catch((error: unknown) => {
    logger.error(
      { err: error, dir: config.dataDir },
      'could not read the data folder; starting with no stories',
    );
    return { dir: config.dataDir, stories: [], problems: [] } satisfies Library;
  });
  const library = createLibraryHolder(initial);
  watchReload(library, config, logger, cache);
  const store = await openStore(config.store, { logger });

  let stopping = false;
  const shutdown = async (stopAdapter: () => Promise<void>, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down');
    try {
      await stopAdapter();
    } catch (error) {
      logger.error({ err: error }, 'error while stopping');
    }
    await store
      .close()
      .catch((error: unknown) => logger.error({ err: error }, 'error while closing the store'));
    process.exit(code);
  };

  if (config.discordToken === undefined) {
    const shell = createShell({
      input: process.stdin,
      output: process.stdout,
      interactive: process.stdin.isTTY === true,
      library,
      store,
      logger,
      commands,
      banner: shellBanner(library.current(), config, store.backend, store.location),
    });
    const stopShell = async () => stopQuizTimers(shell.services);
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.on(signal, () => void shutdown(stopShell, 0));
    await recoverQuizzes(shell.services, [SHELL_GUILD_ID]).catch((error: unknown) =>
      logger.error({ err: error }, 'could not recover quiz games'),
    );
    await shell.run();
    await shutdown(stopShell, 0);
    return;
  }

  const client = createClient({ apiUrl: config.discordApiUrl });
  const services = createServices({
    library,
    store,
    logger,
    messenger: createMessenger(client),
    clock: systemClock,
    commands,
  });
  const router = createRouter(commands, services);
  // Rounds that were in flight when the bot last stopped are finished (or re-armed) once it can post again.
  client.once(Events.ClientReady, (ready) => {
    void recoverQuizzes(services, [...ready.guilds.cache.keys()]).catch((error: unknown) =>
      logger.error({ err: error }, 'could not recover quiz games'),
    );
  });
  const bot = await startBot(client, config.discordToken, router.route, logger);
  const stopBot = async () => {
    stopQuizTimers(services);
    await bot.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void shutdown(stopBot, 0));
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`ficbot could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
