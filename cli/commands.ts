/**
 * The explicit list of `kmskit` commands, one file each. A command module exports a
 * `register(program, ctx)` that adds its subcommand and returns it.
 */
import type { Command } from 'commander';
import type { CommandContext } from './program.js';

export type RegisterCommand = (program: Command, ctx: CommandContext) => Command;

export const commands: RegisterCommand[] = [];
