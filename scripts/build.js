#!/usr/bin/env node
// `npm run build` (and so `npm start`): builds the server (tsc into dist/) and the web app (vite
// into apps/web/dist/), each only when one of its sources is newer than its last output, so a
// restart with nothing changed starts at once. A git checkout or an edit touches the files it
// changes, which makes them newer than the output.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** The newest modification time under `entries` (files or folders), skipping outputs and dependencies. */
function newest(entries) {
  let latest = 0;
  const walk = (file) => {
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      const name = path.basename(file);
      if (name === 'node_modules' || name === 'dist') return;
      for (const entry of fs.readdirSync(file)) walk(path.join(file, entry));
    } else if (stat.mtimeMs > latest) latest = stat.mtimeMs;
  };
  for (const entry of entries) walk(path.join(root, entry));
  return latest;
}

const builtAt = (file) => {
  try {
    return fs.statSync(path.join(root, file)).mtimeMs;
  } catch {
    return -1;
  }
};

const common = ['package-lock.json', 'tsconfig.json', 'libs'];
const steps = [
  { name: 'server', sources: [...common, 'tsconfig.build.json', 'apps/api', 'apps/worker', 'apps/launcher', 'bench'], output: 'dist/.tsbuildinfo', run: () => execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' }) },
  { name: 'web app', sources: [...common, 'apps/web'], output: 'apps/web/dist/index.html', run: () => execFileSync(bin('vite'), ['build', 'apps/web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }) },
];

for (const step of steps) {
  if (process.argv.includes('--force') || newest(step.sources) >= builtAt(step.output)) {
    step.run();
    // tsc leaves its build info untouched when it emits nothing: the stamp says "checked now".
    const now = new Date();
    if (fs.existsSync(path.join(root, step.output))) fs.utimesSync(path.join(root, step.output), now, now);
  }
}
