import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

/** The documents a reader trusts: the READMEs, docs/, the reliability and benchmark reports. */
function documents(): string[] {
  const found = ['README.md', 'RELIABILITY.md', 'BENCHMARKS.md', 'benchmarks/README.md', 'deploy/k8s/README.md'];
  for (const dir of ['docs', 'services', 'tests', 'packages']) {
    const walk = (path: string) => {
      for (const entry of readdirSync(path)) {
        if (entry === 'node_modules' || entry === 'dist') continue;
        const full = join(path, entry);
        if (statSync(full).isDirectory()) walk(full);
        else if (entry.endsWith('.md')) found.push(relative(ROOT, full));
      }
    };
    walk(join(ROOT, dir));
  }
  return [...new Set(found)].filter((f) => existsSync(join(ROOT, f)));
}

/** Every text file of the code, configuration and scripts, where a setting would be read. */
function codeText(): string {
  const parts: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      if (['node_modules', 'dist', '.git', '.data', 'logs', '.run', 'results'].includes(entry)) continue;
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|js|mjs|cjs|sh|ya?ml|json|sql|go|py|example)$|^Dockerfile$|^\.env/.test(entry) && !entry.endsWith('.md')) {
        parts.push(readFileSync(full, 'utf8'));
      }
    }
  };
  for (const dir of ['services', 'packages', 'scripts', 'deploy', 'infra', 'benchmarks', 'tests', '.ci']) walk(join(ROOT, dir));
  for (const file of [
    'docker-compose.yml',
    'Dockerfile',
    'package.json',
    'start-services.sh',
    'stop-services.sh',
    'test-services.sh',
    'create-test-data.sh',
  ]) {
    if (existsSync(join(ROOT, file))) parts.push(readFileSync(join(ROOT, file), 'utf8'));
  }
  return parts.join('\n');
}

/** The spans a document writes as code: `...`. */
const codeSpans = (text: string): string[] => [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);

/**
 * Names that are not ours to define: the platform's, OpenTelemetry's SDK (which reads every
 * OTEL_* itself), and a CI system's (the Pact Broker example in docs/contracts.md).
 */
const NOT_OURS = new Set(['NODE_ENV', 'PATH', 'HOME', 'CI', 'PGPASSWORD', 'NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS', 'GIT_SHA', 'GIT_BRANCH']);
const isOurs = (name: string) => !NOT_OURS.has(name) && !name.startsWith('OTEL_') && !/^(HTTP|SQL|JSON|UTF|ISO|RFC|TLS)_/.test(name);

describe('What the docs name exists', () => {
  const docs = documents();
  const code = codeText();
  const scripts = new Set(Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts));

  it('reads the documents', () => {
    expect(docs.length).toBeGreaterThan(5);
  });

  it.each(docs)('%s: every environment variable it names is read somewhere in the code', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const names = new Set(
      codeSpans(text)
        .flatMap((span) => span.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? [])
        .filter(isOurs),
    );
    const unknown = [...names].filter((name) => !new RegExp(`\\b${name}\\b`).test(code));
    expect(unknown).toEqual([]);
  });

  it.each(docs)('%s: every Prometheus metric it names is registered somewhere in the code', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const metrics = new Set(
      codeSpans(text).flatMap((span) => span.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:total|seconds|messages|jobs|bytes|state)\b/g) ?? []),
    );
    expect([...metrics].filter((name) => !code.includes(`'${name}'`) && !code.includes(`"${name}"`))).toEqual([]);
  });

  it.each(docs)('%s: every npm script it runs exists', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const run = [...text.matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]);
    expect(run.filter((script) => !scripts.has(script))).toEqual([]);
  });

  it.each(docs)('%s: every repository path it names exists', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const paths = codeSpans(text)
      .map((span) => span.split(/[\s:(),]/)[0].replace(/^\.\//, ''))
      .filter((p) => /^(services|packages|scripts|tests|docs|deploy|benchmarks|infra|\.ci)\/[\w./-]+$/.test(p))
      // A pattern or a placeholder (`<service>`, `*.spec.ts`) names a family, not one file.
      .filter((p) => !/[*<>{}]/.test(p));
    // Generated output (logs, results, profiles) is named too: git ignores it, and it exists once made.
    const generated = (p: string) => spawnSync('git', ['check-ignore', '-q', p], { cwd: ROOT }).status === 0;
    const missing = [...new Set(paths)].filter((p) => !existsSync(join(ROOT, p.replace(/\/$/, ''))) && !generated(p));
    expect(missing).toEqual([]);
  });

  // Files are often named by their name alone, or relative to the folder a section is about.
  const tracked = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean);
  const trackedAs = (name: string) => {
    const tail = name.replace(/^(\.\.?\/)+/, '');
    return tracked.some((f) => f === tail || f.endsWith(`/${tail}`));
  };

  it.each(docs)('%s: every source file it names by name exists somewhere', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const names = codeSpans(text)
      .flatMap((span) => span.split(/[\s,():]+/))
      .map((token) => token.replace(/[.;]$/, ''))
      // .js is left out: the names a profile shows are of dist/ and node_modules/, made on build.
      .filter((token) => /^[\w./-]+\.(ts|sh|ya?ml|toml|sql|go|py)$/.test(token) && !/[*<>{}]/.test(token));
    expect([...new Set(names)].filter((name) => !trackedAs(name))).toEqual([]);
  });

  it.each(docs)('%s: every folder it names (`name/`) exists somewhere', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const folders = codeSpans(text)
      .flatMap((span) => span.split(/[\s,():]+/))
      .map((token) => token.replace(/^(\.\.?\/)+/, ''))
      .filter((token) => /^[\w.-]+(\/[\w.-]+)*\/$/.test(token));
    const exists = (folder: string) =>
      tracked.some((f) => f.startsWith(folder) || f.includes(`/${folder}`)) ||
      // Made at run time (logs, results, data): git ignores it.
      spawnSync('git', ['check-ignore', '-q', folder], { cwd: ROOT }).status === 0;
    expect([...new Set(folders)].filter((folder) => !exists(folder))).toEqual([]);
  });

  it.each(docs)('%s: every test it quotes after its spec file is in that file', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const flat = (s: string) => s.replace(/\s+/g, ' ').replace(/[‘’]/g, "'");
    const missing: string[] = [];
    for (const m of text.matchAll(/`([\w./-]+\.spec\.ts)`\s*(?:\([^)]*\)\s*)?((?:,?\s*"[^"\n]+")+)/g)) {
      const specs = tracked.filter((f) => f === m[1] || f.endsWith(`/${m[1]}`)).map((f) => flat(readFileSync(join(ROOT, f), 'utf8')));
      for (const [, quoted] of m[2].matchAll(/"([^"\n]+)"/g)) {
        const title = flat(quoted)
          .replace(/(…|\.\.\.)$/, '')
          .trim();
        if (!specs.some((spec) => spec.includes(title))) missing.push(`${m[1]}: ${quoted}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('The maps of docs/conventions.md are complete', () => {
  const conventions = readFileSync(join(ROOT, 'docs/conventions.md'), 'utf8');
  const dirs = (path: string) => readdirSync(join(ROOT, path)).filter((e) => statSync(join(ROOT, path, e)).isDirectory());

  it.each([...dirs('packages').map((p) => `packages/${p}`), ...dirs('tests').map((t) => `tests/${t}`)])(
    'names the workspace %s in its layout',
    (workspace) => {
      expect(conventions).toMatch(new RegExp(`^${workspace}\\s`, 'm'));
    },
  );

  it.each(dirs('services').flatMap((service) => dirs(`services/${service}/src`).map((folder) => `${service}/src/${folder}/`)))(
    'names the folder %s',
    (path) => {
      const folder = path.split('/')[2];
      expect(conventions).toMatch(new RegExp(`(^|[\\s\`(])${folder}/`, 'm'));
    },
  );
});
