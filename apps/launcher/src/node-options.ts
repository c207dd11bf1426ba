/**
 * The Node.js options the API and the worker run with, wherever they start (`npm start`, the
 * image, the benchmarks): a young generation of 32 MB a semi-space instead of V8's 16. A save
 * allocates the document it writes (the bytes sent, the driver's message) and drops it at once; a larger nursery lets those die there instead of being scavenged more often
 * and copied into the old generation (docs/benchmarks.md, issue 28). The operator's own
 * `NODE_OPTIONS` come after, so they win.
 */
export const SERVER_NODE_OPTIONS = '--max-semi-space-size=32';

export function withServerNodeOptions(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_OPTIONS: [SERVER_NODE_OPTIONS, env.NODE_OPTIONS].filter(Boolean).join(' ') };
}
