// What a built page loads: the entry script, the modules it preloads and its stylesheets, read from
// the built HTML and followed through each module's static imports (its first load); with `lazy`,
// through its dynamic imports and their preloaded dependencies too (everything it may ever load).
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';

/** Paths (from the site root, e.g. /assets/index-abc.js) of the JS and CSS a page loads before it runs. */
export function firstLoadFiles(outDir: string, page = 'index.html'): Promise<string[]> {
  return pageModules(outDir, page, false);
}

/** Paths of every JS and CSS file the page may load, lazy chunks included. */
export function reachableFiles(outDir: string, page = 'index.html'): Promise<string[]> {
  return pageModules(outDir, page, true);
}

async function pageModules(outDir: string, page: string, lazy: boolean): Promise<string[]> {
  const html = await readFile(join(outDir, page), 'utf8');
  const pageDir = posix.dirname(`/${page}`);
  const found = new Set<string>();
  const pending: string[] = [];
  const add = (path: string) => {
    if (found.has(path)) return;
    found.add(path);
    if (path.endsWith('.js')) pending.push(path);
  };
  for (const tag of html.match(/<(?:script|link)\b[^>]*>/g) ?? []) {
    const isEntry = /^<script\b/.test(tag) && /\btype="module"/.test(tag);
    const isPreload = /\brel="(?:modulepreload|stylesheet)"/.test(tag);
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    if ((isEntry || isPreload) && url !== undefined && !/^[a-z]+:/i.test(url)) add(posix.resolve(pageDir, url));
  }
  while (pending.length > 0) {
    const module = pending.pop()!;
    const code = await readFile(join(outDir, module), 'utf8');
    const relativeToModule = [...staticImports(code), ...(lazy ? dynamicImports(code) : [])];
    for (const specifier of relativeToModule) if (specifier.startsWith('.')) add(posix.resolve(posix.dirname(module), specifier));
    if (lazy) for (const path of preloadedDependencies(code)) add(posix.resolve('/', path));
  }
  if (found.size === 0) throw new Error(`${page} in ${outDir} loads no module script or stylesheet`);
  return [...found].sort();
}

/** The specifiers of `import … from "x"`, `import "x"` and `export … from "x"` (not `import("x")`) in minified output. */
export function staticImports(code: string): string[] {
  const pattern = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'`]([^"'`]+)["'`]/g;
  return [...code.matchAll(pattern)].map((match) => match[1]!);
}

/** The specifiers of `import("x")` with a literal specifier. */
export function dynamicImports(code: string): string[] {
  return [...code.matchAll(/\bimport\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]!);
}

/** The files Vite preloads with a dynamic import (its __vite__mapDeps list, paths from the site root). */
export function preloadedDependencies(code: string): string[] {
  const list = /__vite__mapDeps=.*?m\.f=(\[[^\]]*\])/.exec(code)?.[1];
  return list === undefined ? [] : (JSON.parse(list) as string[]);
}
