import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InvariantResult } from '../checks/invariants';
import type { OutcomeSummary } from '../checks/outcomes';
import type { InFlight } from '../checks/quiet';
import type { RequestRecord } from '../load/order-load';

export interface FaultReport {
  id: string;
  title: string;
  log: string[];
  load: Omit<OutcomeSummary, 'pastDeadline' | 'undocumented'> & {
    pastDeadline: number;
    undocumented: number;
    undocumentedExamples: RequestRecord[];
  };
  recovery: { recoveredAfterMs: number | null; probes: number; boundMs: number };
  quiet: { quiet: boolean; waitedMs: number; left: InFlight | null };
  invariants: InvariantResult[];
  held: boolean;
  serviceOutput?: Record<string, string>;
}

export interface RunReport {
  profile: string;
  /** Processes per service (2: behind HAProxy). */
  replicas: number;
  startedAt: string;
  finishedAt?: string;
  commit: string;
  settings: Record<string, unknown>;
  faults: FaultReport[];
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** One table row per fault, then every invariant that broke, with its examples. */
export function toMarkdown(run: RunReport): string {
  const out = [
    `Fault-injection run, profile \`${run.profile}\`, ${run.replicas} replica(s) per service, commit ${run.commit}, ${run.startedAt}`,
    '',
    '| fault | requests | outcomes | slowest (ms) | invariants held | recovery (ms) |',
    '| --- | ---: | --- | ---: | ---: | ---: |',
  ];
  for (const f of run.faults) {
    const outcomes = Object.entries(f.load.byOutcome)
      .sort(([, a], [, b]) => b - a)
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ');
    const held = f.invariants.filter((i) => i.held).length;
    out.push(
      `| ${cell(f.id)} | ${f.load.sent} | ${cell(outcomes)} | ${f.load.maxDurationMs} | ${held}/${f.invariants.length} | ${f.recovery.recoveredAfterMs ?? 'none'} |`,
    );
  }
  const broken = run.faults.flatMap((f) => f.invariants.filter((i) => !i.held).map((i) => ({ f, i })));
  if (broken.length) {
    out.push('', 'Invariants that did not hold:', '');
    for (const { f, i } of broken) {
      const figures = i.figures
        ? ` (${Object.entries(i.figures)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')})`
        : '';
      out.push(`- **${f.id}**: ${i.name}: ${i.broken} of ${i.checked}${figures}; e.g. ${i.examples.slice(0, 3).join('; ')}`);
    }
  }
  return out.join('\n') + '\n';
}

/** Writes `<dir>/faults-<profile><suffix>.json` and `.md` (the last run of each profile). */
export function writeReport(dir: string, run: RunReport, suffix = ''): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `faults-${run.profile}${suffix}.json`);
  const markdown = join(dir, `faults-${run.profile}${suffix}.md`);
  writeFileSync(json, JSON.stringify(run, null, 2));
  writeFileSync(markdown, toMarkdown(run));
  return { json, markdown };
}
