import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The shape of the code as a newcomer meets it (issue 16): how long each source file is and which file
 * imports which. Imports are read by TypeScript's own scanner (`ts.preProcessFile`), so every form counts:
 * `import`, `import type`, `export ... from`, `import x = require()`, side-effect imports and `import()`, in
 * value and in type positions. A type-only import is an arrow like any other: it is what a reader follows.
 */

export interface SourceFile {
  /** Path relative to the root, with forward slashes. */
  file: string;
  lines: number;
  text: string;
}

const SOURCE = /\.tsx?$/;

/** Every .ts/.tsx file under the given folders (relative to `root`), sorted. */
export function sourceFiles(root: string, folders: string[]): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && SOURCE.test(entry.name)) {
        const text = fs.readFileSync(full, 'utf8');
        out.push({ file: path.relative(root, full).split(path.sep).join('/'), lines: lineCount(text), text });
      }
    }
  };
  for (const folder of folders) walk(path.join(root, folder));
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** Lines as an editor numbers them: a final newline does not start another line. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  const breaks = text.split('\n').length - 1;
  return text.endsWith('\n') ? breaks : breaks + 1;
}

export interface ImportGraph {
  /** file -> the files it imports (only files in the graph), sorted. */
  edges: Map<string, string[]>;
  /** Relative specifiers that point at nothing: a misspelt path, or a form the resolver does not know. */
  unresolved: string[];
}

const CANDIDATES = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

/**
 * The import graph between `files`. A relative specifier resolves as TypeScript's node resolution does for
 * our sources (the file itself, then .ts, .tsx, then the folder's index); one that names an existing file
 * outside the set (a folder outside the walk) is no edge; one that names nothing is reported.
 */
export function importGraph(root: string, files: Array<Pick<SourceFile, 'file' | 'text'>>): ImportGraph {
  const known = new Set(files.map((f) => f.file));
  const edges = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const { file, text } of files) {
    const targets = new Set<string>();
    for (const { fileName: spec } of ts.preProcessFile(text, true, true).importedFiles) {
      // A package or a JSON table (which imports nothing, so closes no cycle; src/cli/main.ts reads
      // package.json relative to dist/, where it runs) is no arrow between our sources.
      if (!spec.startsWith('.') || spec.endsWith('.json')) continue;
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      const inGraph = CANDIDATES.map((ext) => base + ext).find((candidate) => known.has(candidate));
      if (inGraph) targets.add(inGraph);
      else if (!CANDIDATES.some((ext) => isFile(path.join(root, base + ext)))) unresolved.push(`${file}: '${spec}'`);
    }
    edges.set(file, [...targets].sort());
  }
  return { edges, unresolved };
}

function isFile(full: string): boolean {
  try {
    return fs.statSync(full).isFile();
  } catch {
    return false;
  }
}

/**
 * Every import cycle: the strongly connected components with more than one file, or one file importing
 * itself (Tarjan's algorithm, iterative so a deep graph cannot overflow the stack). Each comes as the
 * shortest loop from its first file and the list of every file in the component: the message names one path
 * to break and everything tangled with it.
 */
export function importCycles(edges: Map<string, string[]>): Array<{ cycle: string[]; files: string[] }> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  for (const start of [...edges.keys()].sort()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; child: number }> = [{ node: start, child: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const children = edges.get(frame.node) ?? [];
      if (frame.child < children.length) {
        const child = children[frame.child++];
        if (!index.has(child)) {
          index.set(child, next);
          low.set(child, next++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, child: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfImport = component.length === 1 && (edges.get(component[0]) ?? []).includes(component[0]);
        if (component.length > 1 || selfImport) components.push(component.sort());
      }
    }
  }
  return components
    .map((files) => ({ cycle: shortestLoop(edges, files[0], new Set(files)), files }))
    .sort((a, b) => a.files[0].localeCompare(b.files[0]));
}

/** The shortest path from `start` back to itself inside the component (breadth first). */
function shortestLoop(edges: Map<string, string[]>, start: string, within: Set<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const child of edges.get(node) ?? []) {
      if (!within.has(child)) continue;
      if (child === start) {
        const loop = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)!) loop.splice(1, 0, at);
        return [...loop, start];
      }
      if (!cameFrom.has(child)) {
        cameFrom.set(child, node);
        queue.push(child);
      }
    }
  }
  throw new Error(`${start} is in a cycle with no loop back to it`);
}
