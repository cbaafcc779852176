/**
 * The explicit list of `kmskit` commands, one file each. A command module exports a
 * `register(program, ctx)` that adds its subcommand and returns it.
 */
import type { Command } from 'commander';
import type { CommandContext } from './program.js';
import { register as lint } from './lint.js';
import { register as rules } from './rules.js';
import { register as explain } from './explain.js';
import { register as serve } from './serve.js';
import { register as apply } from './apply.js';
import { register as demo } from './demo.js';

export type RegisterCommand = (program: Command, ctx: CommandContext) => Command;

export const commands: RegisterCommand[] = [
  lint,
  rules,
  explain,
  serve,
  apply,
  demo,
];
