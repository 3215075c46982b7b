// Preloaded into a service (`node --require`) by the tracing tests: when the service is told to
// stop, writes the path of every module it loaded to LOADED_MODULES_FILE.
const { writeFileSync } = require('node:fs');

const file = process.env.LOADED_MODULES_FILE;
if (!file) throw new Error('LOADED_MODULES_FILE is not set');
const record = () => writeFileSync(file, JSON.stringify(Object.keys(require.cache)));
// First in line: Nest re-raises the signal after its own shutdown, so 'exit' never comes.
process.prependListener('SIGTERM', record);
process.prependListener('SIGINT', record);
process.on('exit', record);
