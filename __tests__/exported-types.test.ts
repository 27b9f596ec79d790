// Every type a user can meet through the public API can be named from the entry point (issue 18):
// a prop's type, a member's, a parameter's or return type, a base class or interface, and so on,
// transitively. The walk reads the declaration files of the build (dist/lib/*.d.ts, what the npm
// package ships, built by jest's global setup) with the TypeScript 5.x compiler API (`ts5`: TypeScript
// 7's native compiler has no such API yet, and 5.x is what most consumers compile with).
import { join, relative } from 'node:path';
import type * as TS from 'ts5';
import { ROOT } from '../test-support/cli';

// The ts5 alias is the TypeScript 5 package, `typescript` is TypeScript 7.
const ts = require('ts5') as typeof TS;

const DIST = join(ROOT, 'dist', 'lib');
/** The package's entry points (package.json "exports" with types). */
const ENTRY_POINTS = { '.': join(DIST, 'index.d.ts'), './verify': join(DIST, 'verify', 'index.d.ts') };

const program = ts.createProgram(Object.values(ENTRY_POINTS), {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  types: ['node'],
  noEmit: true,
});
const checker = program.getTypeChecker();

const ours = (file: string) => file.startsWith(`${DIST}/`);

function resolveAlias(symbol: TS.Symbol): TS.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

function exportsOf(entry: string): Set<TS.Symbol> {
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`${entry} is missing: run the build (jest's global setup does)`);
  const module = checker.getSymbolAtLocation(source)!;
  return new Set(checker.getExportsOfModule(module).map(resolveAlias));
}

const isPrivate = (node: TS.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);

/** The symbols of our own declarations that the declarations of `symbol` name (not private members, not type parameters). */
function referencedBy(symbol: TS.Symbol): TS.Symbol[] {
  const found: TS.Symbol[] = [];
  const visit = (node: TS.Node): void => {
    if (isPrivate(node)) return;
    let target: TS.Symbol | undefined;
    if (ts.isTypeReferenceNode(node)) target = checker.getSymbolAtLocation(ts.isQualifiedName(node.typeName) ? node.typeName.right : node.typeName);
    else if (ts.isExpressionWithTypeArguments(node)) target = checker.getSymbolAtLocation(node.expression);
    // `typeof VALUES[number]` names a constant, not a type a user has to write: not followed.
    else if (ts.isTypeQueryNode(node)) return;
    else if (ts.isImportTypeNode(node)) {
      const t = checker.getTypeFromTypeNode(node);
      target = t.aliasSymbol ?? t.getSymbol();
    }
    if (target) {
      const resolved = resolveAlias(target);
      if (!(resolved.flags & ts.SymbolFlags.TypeParameter) && (resolved.declarations ?? []).some((d) => ours(d.getSourceFile().fileName))) found.push(resolved);
    }
    ts.forEachChild(node, visit);
  };
  for (const declaration of symbol.declarations ?? []) {
    if (!ours(declaration.getSourceFile().fileName)) continue;
    // A module's own exports are walked from the module's export list, not from its body.
    if (ts.isSourceFile(declaration) || ts.isModuleDeclaration(declaration)) continue;
    // A variable's initializer is not part of its type; a declaration file has none anyway.
    ts.forEachChild(declaration, visit);
  }
  return found;
}

function nameOf(symbol: TS.Symbol): string {
  const d = symbol.declarations?.[0];
  return `${symbol.getName()} (${
    d
      ? relative(ROOT, d.getSourceFile().fileName)
          .replace(/^dist\//, '')
          .replace(/\.d\.ts$/, '.ts')
      : '?'
  })`;
}

/** Every symbol reachable from the exports of `entry` that is not one of them, with the path that reaches it. */
function unexportedReachable(entry: string, leaveOut: readonly string[] = []): string[] {
  const exported = new Set([...exportsOf(entry)].filter((s) => !leaveOut.includes(s.getName())));
  const seen = new Set<TS.Symbol>();
  const missing = new Map<TS.Symbol, string>();
  const queue: [TS.Symbol, string][] = [...exported].map((s) => [s, s.getName()]);
  while (queue.length > 0) {
    const [symbol, via] = queue.shift()!;
    if (seen.has(symbol)) continue;
    seen.add(symbol);
    for (const next of referencedBy(symbol)) {
      if (seen.has(next)) continue;
      const path = `${via} → ${next.getName()}`;
      if (!exported.has(next) && !missing.has(next)) missing.set(next, path);
      queue.push([next, path]);
    }
  }
  return [...missing].map(([s, path]) => `${nameOf(s)}, reached by ${path}`).sort();
}

describe('the declaration files of the build', () => {
  it.each(Object.entries(ENTRY_POINTS))('every type reachable from the exports of "%s" is exported there', (_name, entry) => {
    expect(exportsOf(entry).size).toBeGreaterThan(_name === '.' ? 50 : 5);
    expect(unexportedReachable(entry)).toEqual([]);
  });

  it('type-check with TypeScript 5.x (what consumers compile them with)', () => {
    const problems = program
      .getSourceFiles()
      .filter((f) => ours(f.fileName))
      .flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)])
      .map((d) => `${d.file ? relative(ROOT, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
    expect(ts.version).toMatch(/^5\./);
  });

  it('the walk reports a type left out of the exports, with the path that reaches it (the check can fail)', () => {
    expect(unexportedReachable(ENTRY_POINTS['.'], ['FilterProps', 'AzurermBackendProps'])).toEqual([
      'AzurermBackendProps (lib/model/stack.ts), reached by StateBackend → AzurermBackendProps',
      expect.stringMatching(/^FilterProps \(lib\/model\/conditional-access-policy\.ts\), reached by \w+ → FilterProps$/),
    ]);
  });
});
