/** Every slash command ficbot has. Registering a command = its file plus one line here. */
import type { CommandModule } from '../src/discord/port.ts';
import { config } from './config.ts';
import { excerpt } from './excerpt.ts';
import { help } from './help.ts';
import { quiz } from './quiz.ts';
import { stories } from './stories.ts';
import { summary } from './summary.ts';
import { warnings } from './warnings.ts';

export const commands: readonly CommandModule[] = [stories, excerpt, summary, warnings, quiz, config, help];
