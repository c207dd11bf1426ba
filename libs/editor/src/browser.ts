// What the web app takes from this library: the extension list and the RSCA template, which
// run in a browser (the rest of the library uses Node's crypto and Buffer).
export { editorExtensions, HEADING_LEVELS, LINK_PROTOCOLS } from './extensions';
export { rscaTemplate, emptyDocument, RSCA_SECTIONS } from './templates';
export { plainTextPositions, documentRange } from './text-positions';
export { plainText } from './plain-text';
export { blockDelta, type BlockDelta } from './block-delta';
