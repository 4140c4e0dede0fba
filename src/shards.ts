/**
 * `npm run start:shards`: runs the bot as several shards under discord.js's ShardingManager, one
 * child process per shard, each the same entry point as `npm start` (src/index.ts). SHARD_COUNT is
 * the total across all machines (unset: Discord's recommendation from /gateway/bot); SHARD_LIST the
 * ids this machine runs. Every shard must share one STORE_URL (Redis or PostgreSQL).
 * Wiring only; SIGTERM/SIGINT stop every shard cleanly.
 */
import { fileURLToPath } from 'node:url';
import { REST } from '@discordjs/rest';
import { type APIGatewayBotInfo, Routes, ShardingManager } from 'discord.js';
import { type Config, ConfigError, loadConfig, requireDiscordCredentials } from './config.ts';
import { type Logger, loggerFromConfig } from './logger.ts';
import { NODE_FLAGS } from './node-flags.ts';

const BOT_ENTRY = fileURLToPath(new URL('./index.ts', import.meta.url));

/** Discord's recommended shard count, asked of the configured API (the manager's own 'auto' ignores it). */
async function recommendedShards(config: Config, token: string): Promise<number> {
  const rest = new REST(config.discordApiUrl === undefined ? {} : { api: config.discordApiUrl }).setToken(
    token,
  );
  const info = (await rest.get(Routes.gatewayBot())) as APIGatewayBotInfo;
  return info.shards;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger: Logger = loggerFromConfig(config);
  const { token } = requireDiscordCredentials(config);
  if (config.store.backend === 'sqlite') {
    logger.warn(
      { store: config.store.location },
      'shards share state only through Redis or PostgreSQL: set STORE_URL (a SQLite file is for one process)',
    );
  }
  const totalShards = config.shards.count ?? (await recommendedShards(config, token));
  const shardList = config.shards.list ?? 'auto';
  const manager = new ShardingManager(BOT_ENTRY, {
    token,
    totalShards,
    shardList,
    mode: 'process',
    respawn: true,
    execArgv: [...NODE_FLAGS, '--import', 'tsx'],
  });
  manager.on('shardCreate', (shard) => {
    logger.info({ shardId: shard.id, totalShards }, 'shard starting');
    shard.on('death', () => logger.warn({ shardId: shard.id }, 'shard process exited'));
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    manager.respawn = false;
    logger.info('stopping every shard');
    // Each shard shuts down on SIGTERM as `npm start` does: in-flight work, the gateway, the store.
    const exits = [...manager.shards.values()].map(
      (shard) =>
        new Promise<void>((resolve) => {
          const child = shard.process;
          if (child === null || child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    );
    void Promise.all(exits).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  logger.info({ totalShards, shardList }, 'spawning shards');
  await manager.spawn({ delay: 5_500, timeout: 60_000 });
  logger.info({ shards: manager.shards.size }, 'every shard is ready');
}

void main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`ficbot shards could not start: ${message}\n`);
  process.exit(1);
});
