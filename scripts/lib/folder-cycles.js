#!/usr/bin/env node
// Reads dependency-cruiser's JSON (stdin) and reports, besides the rule violations it found,
// import cycles between the folders of one service: each business area (the first folder
// under src/) is one node, and each file directly in src/ (config.ts, app.ts, database.ts, ...) one
// more. So the areas may all use config.ts, and app.ts may wire all the areas, but a root file
// that an area imports must not import that area back (dependency-cruiser's own folder scope
// folds a folder into its parent and cannot see such a loop). Exits 1 on any violation or cycle.
// Used by scripts/test.sh; see .dependency-cruiser.js for the rules.
'use strict';

const area = (path) => {
  const match = /^(services\/[^/]+)\/src\/(.*)$/.exec(path);
  if (!match) return undefined;
  const [, service, rest] = match;
  return { service, area: rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : rest };
};

let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const result = JSON.parse(input);
  let failed = false;
  for (const v of result.summary.violations ?? []) {
    failed = true;
    const via = v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name ?? c).join(' -> ')})` : '';
    console.error(`  ${v.rule.name}: ${v.from} -> ${v.to}${via}`);
  }

  const graphs = new Map();
  for (const module of result.modules) {
    const from = area(module.source);
    if (!from || /\.spec\.ts$|test-helpers\.ts$/.test(module.source)) continue;
    for (const dep of module.dependencies) {
      const to = area(dep.resolved);
      if (!to || to.service !== from.service || to.area === from.area) continue;
      if (!graphs.has(from.service)) graphs.set(from.service, new Map());
      const edges = graphs.get(from.service);
      if (!edges.has(from.area)) edges.set(from.area, new Set());
      edges.get(from.area).add(to.area);
    }
  }
  const seen = new Set();
  for (const [service, edges] of graphs) {
    // Every shortest cycle through each pair of areas: a breadth-first search back to the start.
    for (const start of edges.keys()) {
      const queue = [[start]];
      const visited = new Set([start]);
      while (queue.length) {
        const path = queue.shift();
        for (const next of edges.get(path[path.length - 1]) ?? []) {
          if (next === start) {
            const rotated = [...path].sort()[0];
            const at = path.indexOf(rotated);
            const cycle = [...path.slice(at), ...path.slice(0, at), rotated];
            const key = `${service}: ${cycle.join(' -> ')}`;
            if (seen.has(key)) continue;
            seen.add(key);
            failed = true;
            console.error(`  no-cycles-between-folders: ${key}`);
          } else if (!visited.has(next)) {
            visited.add(next);
            queue.push([...path, next]);
          }
        }
      }
    }
  }
  const { totalCruised, totalDependenciesCruised } = result.summary;
  console.log(`boundaries: ${totalCruised} modules, ${totalDependenciesCruised} dependencies: ${failed ? 'VIOLATED' : 'respected'}`);
  process.exit(failed ? 1 : 0);
});
