import { getSchema } from '@tiptap/core';
import { editorExtensions } from './extensions';

export const editorSchema = getSchema(editorExtensions);
