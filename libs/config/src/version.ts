import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** Carnet's version, from the repository's package.json (found from source or from dist/). */
export function softwareVersion(): string {
  if (cached) return cached;
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'carnet' && pkg.version) return (cached = pkg.version);
    }
  }
  return (cached = '0.0.0');
}
