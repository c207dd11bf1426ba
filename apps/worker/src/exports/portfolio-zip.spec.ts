import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { StorageDriver } from '@carnet/storage';
import { PortfolioData, PortfolioTrace } from './portfolio';
import { zipEntryNames } from '../../../../test/support/files';
import { attachmentFileName, writePortfolioZip } from './portfolio-zip';


describe('attachment names in the portfolio ZIP', () => {
  it('takes the extension from the detected type, never from the uploaded name', () => {
    expect(attachmentFileName('a1', 'passwd.html', 'application/pdf')).toBe('a1-passwd.pdf');
    expect(attachmentFileName('a1', 'ECG du cabinet.pdf', 'application/pdf')).toBe('a1-ECG du cabinet.pdf');
    expect(attachmentFileName('a1', 'photo.svg', 'image/png')).toBe('a1-photo.png');
    expect(attachmentFileName('a1', 'scan.JPEG', 'image/jpeg')).toBe('a1-scan.jpg');
    expect(attachmentFileName('a1', 'x.pdf.exe', 'application/pdf')).toBe('a1-x.pdf.pdf');
    expect(attachmentFileName('a1', '../../etc/passwd', 'application/pdf')).toBe('a1-.._.._etc_passwd.pdf');
    expect(attachmentFileName('a1', 'noext', 'application/pdf')).toBe('a1-noext.pdf');
    expect(attachmentFileName('a1', '.html', 'application/pdf')).toBe('a1-piece-jointe.pdf');
    expect(attachmentFileName('a1', 'a\u0000b\u202e.html', 'image/png')).toBe('a1-a_b_.png');
    expect(attachmentFileName('a1', 'odd.bin', 'text/html')).toBe('a1-odd.bin');
  });

  it('writes `…-passwd.pdf`, not `…-passwd.html`, for a PDF uploaded as passwd.html', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-zip-'));
    try {
      const pdf = path.join(dir, 'portfolio.pdf');
      fs.writeFileSync(pdf, '%PDF-1.4\n%%EOF\n');
      const trace: PortfolioTrace = {
        id: 't1', kind: 'rsca', title: 'Une trace', status: 'validated', competences: [], familles: [], createdAt: '2026-01-01', submittedAt: null,
        validatedAt: null, validatedBy: null, validatedSha256: null, content: { type: 'doc', content: [] },
        attachments: [{ id: 'a1', filename: 'passwd.html', size: 15, sha256: 'x', mimeType: 'application/pdf', storageKey: 'k' }],
      };
      const data: PortfolioData = {
        dumgName: 'DUMG', generatedAt: '2026-01-01', scope: 'all', softwareVersion: '1', intern: { id: 'i', displayName: 'I', email: 'i@x.fr', promotion: 2025, upp: null },
        tutors: [], traces: [trace], assessments: [],
      };
      const storage = { get: async () => Readable.from([Buffer.from('%PDF-1.4\n%%EOF\n')]) } as unknown as StorageDriver;
      const zip = path.join(dir, 'out.zip');
      const files = await writePortfolioZip(data, pdf, zip, storage, async () => undefined);
      const names = await zipEntryNames(fs.readFileSync(zip));
      expect(names).toContain('traces/001-une-trace/pieces-jointes/a1-passwd.pdf');
      expect(names.filter((n) => n.includes('pieces-jointes') && !n.endsWith('.pdf'))).toEqual([]);
      expect(files.map((f) => f.path)).toContain('traces/001-une-trace/pieces-jointes/a1-passwd.pdf');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
