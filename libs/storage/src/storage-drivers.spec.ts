import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { startS3Server, TestS3 } from '../../../test/support/s3-server';
import { LocalDriver } from './local.driver';
import { S3Driver } from './s3.driver';
import { createStorageDriver } from './storage.factory';
import { InvalidObjectKeyError, ObjectNotFoundError, StorageDriver } from './storage-driver.interface';

const body = (content: string) => Readable.from([Buffer.from(content)]);

/** The one contract both drivers keep. */
function behavesAsStorage(name: string, make: () => Promise<StorageDriver>) {
  describe(name, () => {
    let storage: StorageDriver;
    beforeAll(async () => {
      storage = await make();
    });

    it('stores, describes, reads back and deletes an object', async () => {
      const content = 'Récit de situation complexe authentique — é à ç';
      const size = Buffer.byteLength(content);
      await storage.put('attachments/t1/a1', body(content), size, 'application/pdf');
      expect(await storage.stat('attachments/t1/a1')).toEqual({ size, contentType: 'application/pdf' });
      expect(await text(await storage.get('attachments/t1/a1'))).toBe(content);
      await storage.delete('attachments/t1/a1');
      expect(await storage.stat('attachments/t1/a1')).toBeNull();
    });

    it('reports a missing object as not found', async () => {
      expect(await storage.stat('exports/none')).toBeNull();
      await expect(storage.get('exports/none')).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('streams a large object without changing a byte', async () => {
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      const chunks = Array.from({ length: 6 }, (_, i) => Buffer.concat([chunk, Buffer.from(String(i))]));
      const size = chunks.reduce((sum, c) => sum + c.length, 0);
      await storage.put('exports/big.zip', Readable.from(chunks), size, 'application/zip');
      const read: Buffer[] = [];
      for await (const part of await storage.get('exports/big.zip')) read.push(part as Buffer);
      expect(Buffer.concat(read).equals(Buffer.concat(chunks))).toBe(true);
    });

    it.each(['../etc/passwd', '/absolute', 'a/../../b', 'a//b', '', 'a/./b', 'é'])('refuses the key %j', async (key) => {
      await expect(storage.put(key, body('x'), 1, 'text/plain')).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
    });

    it('lists its keys by prefix, for backups', async () => {
      await storage.put('backup-test/a/1', body('1'), 1, 'text/plain');
      await storage.put('backup-test/b/2', body('2'), 1, 'text/plain');
      const keys: string[] = [];
      for await (const key of storage.list('backup-test/')) keys.push(key);
      expect(keys.sort()).toEqual(['backup-test/a/1', 'backup-test/b/2']);
    });

    it('answers its health check', async () => {
      await expect(storage.check()).resolves.toBeUndefined();
    });
  });
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-storage-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
behavesAsStorage('local driver', async () => new LocalDriver(root));

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3.close();
});
behavesAsStorage('S3 driver (minio client against an S3-protocol server)', () =>
  createStorageDriver({ driver: 's3', endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey, bucket: 'carnet-test', region: 'us-east-1' }),
);

describe('local driver specifics', () => {
  it('leaves nothing behind when the stream fails mid-way', async () => {
    const storage = new LocalDriver(root);
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1000));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(storage.put('attachments/broken', failing, 5000, 'application/pdf')).rejects.toThrow('connection reset');
    expect(await storage.stat('attachments/broken')).toBeNull();
    expect(fs.readdirSync(path.join(root, 'attachments')).filter((f) => f.includes('broken'))).toEqual([]);
  });

  it('has no presigned URLs (files go through the API)', async () => {
    expect(await new LocalDriver(root).signedUrl()).toBeNull();
  });
});

describe('S3 driver specifics', () => {
  it('creates its bucket at start and signs short-lived URLs', async () => {
    const storage = (await createStorageDriver({
      driver: 's3', endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey, bucket: 'carnet-signed', region: 'us-east-1',
    })) as S3Driver;
    await storage.put('exports/e1.pdf', body('%PDF-1.7'), 8, 'application/pdf');
    const url = await storage.signedUrl('exports/e1.pdf', 900, 'portfolio.pdf');
    expect(url).toContain('X-Amz-Expires=900');
    const response = await fetch(url!);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('%PDF-1.7');
  });
});
