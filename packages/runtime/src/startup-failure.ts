/**
 * The `.catch` of every service's main(): a start that fails (bad configuration, a database
 * that never answers) ends the process with exit code 1 and one JSON line on stderr, shaped
 * like the logs, since the logger may not exist yet. A configuration error's message already
 * names every problem, so its stack is left out.
 */
export function exitOnStartupFailure(service: string): (err: unknown) => never {
  return (err: unknown): never => {
    const detail = err instanceof Error ? (err.name === 'ConfigError' ? err.message : (err.stack ?? err.message)) : String(err);
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service, msg: 'failed to start', err: detail })}\n`,
    );
    process.exit(1);
  };
}
