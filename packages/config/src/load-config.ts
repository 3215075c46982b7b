import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

/** Schemas created by `secret()`, with the development default they must not keep in production. */
const developmentSecrets = new WeakMap<z.ZodType, string>();

/**
 * A secret with a development default, so a fresh clone runs as is. In production the
 * default (or any comma-separated part equal to it) is refused at start-up.
 */
export function secret(developmentDefault: string) {
  const schema = z.string().min(1).default(developmentDefault);
  developmentSecrets.set(schema, developmentDefault);
  return schema;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** The environment to read; `process.env` by default. */
  env?: Record<string, string | undefined>;
  /** A dotenv file whose values apply where the environment has none; `.env` in the working directory by default, `false` for none. */
  envFile?: string | false;
}

/**
 * A check across settings that each pass on their own but together break a guarantee (a lease
 * shorter than the work it covers). Returns the problem, naming both settings and why, or
 * undefined when the combination holds.
 */
export type ConfigRule<Config> = (config: Config) => string | undefined;

/**
 * Reads, validates and freezes a service's configuration once, at start-up. The result is
 * one typed object that main.ts passes to whatever needs it; nothing else reads process.env.
 * `rules` run on the parsed values; every problem they report is refused in one ConfigError.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  options: LoadConfigOptions = {},
  rules: ReadonlyArray<ConfigRule<Readonly<z.infer<z.ZodObject<Shape>>>>> = [],
): Readonly<z.infer<z.ZodObject<Shape>>> {
  const env = { ...readEnvFile(options.envFile), ...stripEmpty(options.env ?? process.env) };
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const config = result.data as Record<string, unknown>;
  const problems: string[] = [];
  if (config.NODE_ENV === 'production') {
    for (const [key, schema] of Object.entries(shape)) {
      const devDefault = developmentSecrets.get(schema as z.ZodType);
      const value = config[key];
      if (devDefault === undefined || typeof value !== 'string') continue;
      const parts = value.split(',').map((p) => p.trim());
      if (parts.includes(devDefault)) {
        problems.push(`${key}: still the development default; set a real secret before running with NODE_ENV=production`);
      }
    }
  }
  for (const rule of rules) {
    const problem = rule(result.data);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(result.data);
}

function readEnvFile(envFile: string | false | undefined): Record<string, string> {
  if (envFile === false) return {};
  const path = resolve(envFile ?? '.env');
  return existsSync(path) ? parseDotenv(readFileSync(path)) : {};
}

/** An empty variable means "not set", so the default applies (as in most shells' `VAR= cmd`). */
function stripEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}
