import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { defineCertify } from './certify.js';
import { defineCheck } from './check.js';
import { defineRepair } from './repair.js';
import { defineSolve } from './solve.js';

/**
 * A command adds itself with `program.command(name)...` and wraps its work in `ctx.action(...)`,
 * returning an exit code (EXIT in ../exit-codes.ts). Throw InputError (from @diffcontract/env) or
 * UsageError (../errors.ts) for the user's mistakes; anything else counts as an internal error.
 */
export type CommandDefinition = (program: Command, ctx: CliContext) => void;

/** Every command of diffcontract-verify, in the order `--help` lists them. Add one: import + entry. */
export const commands: CommandDefinition[] = [defineSolve, defineRepair, defineCheck, defineCertify];
