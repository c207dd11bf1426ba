export { editorExtensions, HEADING_LEVELS, LINK_PROTOCOLS } from './extensions';
export { editorSchema } from './schema';
export {
  validateDocument,
  DocumentValidatorCache,
  BlockDocument,
  CheckedDocument,
  documentFromJson,
  InvalidDocumentError,
  ContentFault,
  TiptapJson,
  ValidDocument,
  MAX_DOCUMENT_BYTES,
} from './document-validator';
export { plainText } from './plain-text';
export { blockDelta, BlockDelta, deltaFaults } from './block-delta';
export { plainTextPositions, documentRange } from './text-positions';
export { documentHtml, escapeHtml } from './html';
export { canonicalJson, sha256Hex } from './canonical';
export { rscaTemplate, emptyDocument, RSCA_SECTIONS } from './templates';
export { documentPdfContent, PdfContent, PDF_NODE_TYPES, PDF_MARK_TYPES } from './pdf-content';
