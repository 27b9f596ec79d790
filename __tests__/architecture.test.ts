// The layering of lib/, read from the import statements of its sources: no import circle between
// files or between folders, the models free of cdktf, the guardrails free of the config layer.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const LIB = join(__dirname, '..', 'lib');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every module a file imports (static imports, re-exports and require calls), as written. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms),
    ...text.matchAll(/require\('([^']+)'\)/g),
    ...text.matchAll(/import\('([^']+)'\)/g),
  ].map((m) => m[1]);
  return [...new Set(specs)];
}

const files = sources(LIB);
const rel = (f: string) => relative(LIB, f).replace(/\\/g, '/');
/** lib-relative file → lib-relative files it imports (type-only imports included: they still couple). */
const graph = new Map<string, string[]>();
const packages = new Map<string, string[]>();
for (const f of files) {
  const local: string[] = [];
  const external: string[] = [];
  for (const spec of importsOf(f)) {
    if (spec.startsWith('.')) {
      const target = resolve(dirname(f), spec);
      const file = files.find((x) => x === `${target}.ts` || x === join(target, 'index.ts'));
      if (file) local.push(rel(file));
    } else external.push(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  }
  graph.set(rel(f), local);
  packages.set(rel(f), external);
}

/** Strongly connected components with more than one member, or a self-import: the import circles. */
function circles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (g.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const folderOf = (f: string) => (f.includes('/') ? f.split('/')[0] : '(root)');

describe('the layering of lib/', () => {
  it('reads the imports of every source (the check can see them)', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(graph.get('guardrails/check.ts')).toContain('inspection/from-stack.ts');
  });

  it('has no import circle between files', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('has no import circle between folders', () => {
    const folders = new Map<string, string[]>();
    for (const [f, targets] of graph) {
      if (f === 'index.ts') continue; // the public API re-exports every layer
      const from = folderOf(f);
      const to = targets.map(folderOf).filter((t) => t !== from);
      folders.set(from, [...new Set([...(folders.get(from) ?? []), ...to])]);
    }
    expect(circles(folders)).toEqual([]);
  });

  it('keeps the models pure: no cdktf, constructs or provider bindings, nothing above them', () => {
    const allowedFolders = new Set(['model', 'permissions', 'private']);
    const bad: string[] = [];
    for (const [f, targets] of graph) {
      if (folderOf(f) !== 'model') continue;
      for (const t of targets) if (!allowedFolders.has(folderOf(t))) bad.push(`${f} imports ${t}`);
      for (const p of packages.get(f) ?? []) if (!['zod', 'uuid'].includes(p)) bad.push(`${f} imports ${p}`);
    }
    expect(bad).toEqual([]);
  });

  it('keeps the inspection free of cdktf and of the layers that read it', () => {
    const bad: string[] = [];
    for (const [f, targets] of graph) {
      if (folderOf(f) !== 'inspection') continue;
      for (const t of targets) if (!['inspection', 'model', 'permissions', 'private'].includes(folderOf(t))) bad.push(`${f} imports ${t}`);
      for (const p of packages.get(f) ?? []) if (p !== 'constructs') bad.push(`${f} imports ${p}`);
    }
    expect(bad).toEqual([]);
  });

  it('keeps the guardrails and the review off the config layer', () => {
    const bad = [...graph]
      .filter(([f]) => ['guardrails', 'review', 'inspection', 'model'].includes(folderOf(f)))
      .flatMap(([f, ts]) => ts.filter((t) => folderOf(t) === 'config').map((t) => `${f} imports ${t}`));
    expect(bad).toEqual([]);
  });

  it('reads no private fields anywhere (names starting with an underscore)', () => {
    // zod 4 documents `._zod.def` as the way to introspect a schema (the loader's did-you-mean).
    const bad = files.filter((f) => /\._(?!zod\b)[A-Za-z]\w*|\['_[A-Za-z]/.test(readFileSync(f, 'utf8'))).map(rel);
    expect(bad).toEqual([]);
  });
});
