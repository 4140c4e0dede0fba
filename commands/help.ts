/** /help: what ficbot does and every command. */
import { ApplicationCommandOptionType } from 'discord.js';
import type { CommandData, CommandModule } from '../src/discord/port.ts';

const data = {
  name: 'help',
  description: 'What ficbot does and every command',
} as const satisfies CommandData;

const INTRO =
  "ficbot serves this server's story library: scene excerpts, summaries, content warnings and a who-said-it quote game. " +
  "Stories above a channel's allowed rating, or with a warning this server hides, are never shown there.";

/** One line per command (and per subcommand), built from the command definitions themselves. */
export function commandLines(commands: readonly CommandModule[]): string[] {
  const lines: string[] = [];
  for (const { data: command } of commands) {
    const subcommands = (command.options ?? []).filter(
      (option) => option.type === ApplicationCommandOptionType.Subcommand,
    );
    const usage = (name: string, options: readonly { name: string; required?: boolean }[]) =>
      [
        name,
        ...options.map((option) => (option.required === true ? `${option.name}:` : `[${option.name}]`)),
      ].join(' ');
    if (subcommands.length === 0) {
      const options = (command.options ?? []) as readonly { name: string; required?: boolean }[];
      lines.push(`\`${usage(`/${command.name}`, options)}\` — ${command.description}`);
      continue;
    }
    const moderators = command.default_member_permissions === '32' ? ' (Manage Server)' : '';
    lines.push(`\`/${command.name}\` — ${command.description}${moderators}:`);
    for (const subcommand of subcommands) {
      const options = ('options' in subcommand ? (subcommand.options ?? []) : []) as readonly {
        name: string;
        required?: boolean;
      }[];
      lines.push(
        `  • \`${usage(`/${command.name} ${subcommand.name}`, options)}\` — ${subcommand.description}`,
      );
    }
  }
  return lines;
}

export const help: CommandModule = {
  data,
  async execute(interaction, services) {
    await interaction.reply({
      ephemeral: true,
      embeds: [
        {
          title: 'ficbot',
          description: `${INTRO}\n\n${commandLines(services.commands).join('\n')}`.slice(0, 4096),
          footer: { text: 'Options in [brackets] are optional. Story options suggest titles as you type.' },
        },
      ],
    });
  },
};
