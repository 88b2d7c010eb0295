/**
 * The bench's report from its results JSON: a Markdown table (in README.md between the bench markers) and an
 * SVG chart of the service / floor throughput ratios beside the JSON.
 *
 *   npx ts-node --transpile-only bench/report.ts bench/results/<date>-<machine>.json   (regenerates both)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

export interface SideResult {
  /** Mean requests per second. */
  rps: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface PathResult {
  name: string;
  route: string;
  floor: SideResult;
  service: SideResult;
  /** Service throughput / floor throughput. */
  ratio: number;
}

export interface BenchResults {
  date: string;
  machine: {
    name: string;
    cpu: string;
    cores: number;
    memoryGb: number;
    os: string;
    node: string;
    postgres: string;
    database: string;
  };
  settings: {
    rows: number;
    users: number;
    offers: number;
    quick: boolean;
    seconds: number;
    rounds: number;
    connections: number;
  };
  load: { seconds: number };
  service: { readyMs: number; peakRssMb: number | null; floorPeakRssMb: number | null };
  paths: PathResult[];
  totalSeconds: number;
}

const ROOT = resolve(__dirname, '..');
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(1) : String(Math.round(n)));

export function markdown(r: BenchResults, jsonFile: string, svgFile?: string): string {
  const m = r.machine;
  const s = r.settings;
  const lines = [
    `Run of ${r.date.slice(0, 10)} on ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, ${m.os}, Node ${m.node}, ` +
      `PostgreSQL ${m.postgres} (${m.database}); ${int(s.rows)} entitlements over ${int(s.users)} users, ` +
      `${int(s.offers)} offers; ${s.connections} connections, ${s.rounds} round(s) of ${s.seconds} s per path and ` +
      `side, alternating floor and service; load generator on the same machine. ` +
      `Data loaded in ${r.load.seconds.toFixed(0)} s. Service: ready in ${int(r.service.readyMs)} ms, ` +
      `peak RSS ${r.service.peakRssMb ?? '?'} MiB (floor ${r.service.floorPeakRssMb ?? '?'} MiB). ` +
      `Source: \`${relative(ROOT, jsonFile)}\`.`,
    '',
    '| path | floor req/s | floor p50 / p99 ms | service req/s | service p50 / p99 ms | service / floor | non-2xx, errors |',
    '| ---- | ----------: | -----------------: | ------------: | -------------------: | --------------: | --------------: |',
    ...r.paths.map(
      (p) =>
        `| ${p.name} | ${int(p.floor.rps)} | ${ms(p.floor.p50)} / ${ms(p.floor.p99)} | ${int(p.service.rps)} | ` +
        `${ms(p.service.p50)} / ${ms(p.service.p99)} | **${p.ratio.toFixed(2)}** | ` +
        `${p.floor.non2xx + p.service.non2xx}, ${p.floor.errors + p.service.errors} |`,
    ),
  ];
  if (svgFile) lines.push('', `![service / floor throughput](${relative(ROOT, svgFile)})`);
  return lines.join('\n');
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Horizontal bars of service / floor throughput, one per path, with the 1.0 line (the floor). */
export function svg(r: BenchResults): string {
  const rowH = 26;
  const left = 290;
  const width = 760;
  const barMax = width - left - 70;
  const top = 40;
  const height = top + r.paths.length * rowH + 30;
  const max = Math.max(1, ...r.paths.map((p) => p.ratio));
  const x = (v: number) => left + (v / max) * barMax;
  const bars = r.paths
    .map((p, i) => {
      const y = top + i * rowH;
      const color = p.ratio >= 0.5 ? '#2e7d32' : p.ratio >= 0.25 ? '#f9a825' : '#c62828';
      return (
        `<text x="${left - 8}" y="${y + 16}" text-anchor="end">${escapeXml(p.name)}</text>` +
        `<rect x="${left}" y="${y + 4}" width="${(x(p.ratio) - left).toFixed(1)}" height="${rowH - 8}" fill="${color}"/>` +
        `<text x="${(x(p.ratio) + 6).toFixed(1)}" y="${y + 16}">${p.ratio.toFixed(2)}</text>`
      );
    })
    .join('\n  ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="10" y="20" font-size="14" font-weight="bold">Service / floor throughput (${escapeXml(r.machine.name)}, ${r.date.slice(0, 10)}, ${r.settings.rows.toLocaleString('en-US')} rows)</text>
  ${bars}
  <line x1="${x(1).toFixed(1)}" y1="${top - 4}" x2="${x(1).toFixed(1)}" y2="${height - 24}" stroke="#555" stroke-dasharray="4 3"/>
  <text x="${x(1).toFixed(1)}" y="${height - 10}" text-anchor="middle">1.0 = floor</text>
</svg>
`;
}

/** Writes the SVG beside the JSON and, with `readme`, the table into README.md; returns the table. */
export function writeReport(
  r: BenchResults,
  jsonFile: string,
  opts: { readme: boolean },
): { table: string; svg?: string; readme?: boolean } {
  const svgFile = jsonFile.replace(/\.json$/, '.svg');
  writeFileSync(svgFile, svg(r));
  const table = markdown(r, jsonFile, opts.readme ? svgFile : undefined);
  if (!opts.readme) return { table, svg: svgFile };
  const readmeFile = join(ROOT, 'README.md');
  const readme = readFileSync(readmeFile, 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md has no ${START} ... ${END} markers`);
  writeFileSync(readmeFile, `${readme.slice(0, from + START.length)}\n\n${table}\n\n${readme.slice(to)}`);
  // The committed README is Prettier-formatted (CI checks it): format the table as the project does.
  execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', readmeFile], {
    stdio: 'ignore',
  });
  return { table, svg: svgFile, readme: true };
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: ts-node bench/report.ts bench/results/<file>.json\n');
    process.exit(2);
  }
  const jsonFile = resolve(file);
  const r = JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchResults;
  const out = writeReport(r, jsonFile, { readme: true });
  process.stdout.write(`${out.table}\n(${basename(out.svg ?? '')} and README.md written)\n`);
}
