import { Readable } from 'node:stream';
import { Client } from 'minio';
import { assertValidKey, ObjectNotFoundError, StorageDriver, StoredObject } from './storage-driver.interface';

export interface S3Options {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

/** S3-protocol storage (MinIO in production) through the `minio` client, path-style. */
export class S3Driver implements StorageDriver {
  readonly name = 's3' as const;
  private readonly client: Client;
  private readonly bucket: string;
  private readonly region: string;

  constructor(options: S3Options) {
    const endpoint = new URL(options.endpoint);
    const useSSL = endpoint.protocol === 'https:';
    this.client = new Client({
      endPoint: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : useSSL ? 443 : 80,
      useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region,
      pathStyle: true,
    });
    this.bucket = options.bucket;
    this.region = options.region;
  }

  /** Creates the bucket when it does not exist yet (called once at start). */
  async ensureBucket(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) {
      await this.client.makeBucket(this.bucket, this.region).catch(async (error: unknown) => {
        // Another replica may have created it between the two calls.
        if (!(await this.client.bucketExists(this.bucket))) throw error;
      });
    }
  }

  async put(key: string, body: Readable, size: number, contentType: string): Promise<void> {
    assertValidKey(key);
    await this.client.putObject(this.bucket, key, body, size, { 'Content-Type': contentType });
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    try {
      return await this.client.getObject(this.bucket, key);
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    assertValidKey(key);
    try {
      const stat = await this.client.statObject(this.bucket, key);
      const contentType = (stat.metaData as Record<string, string | undefined>)['content-type'];
      return { size: stat.size, contentType };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.removeObject(this.bucket, key);
  }

  async *list(prefix = ''): AsyncIterable<string> {
    const stream = this.client.listObjectsV2(this.bucket, prefix, true);
    for await (const item of stream as AsyncIterable<{ name?: string }>) if (item.name) yield item.name;
  }

  async signedUrl(key: string, expiresInSeconds: number, downloadName?: string): Promise<string | null> {
    assertValidKey(key);
    const headers = downloadName
      ? { 'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(downloadName)}` }
      : undefined;
    return this.client.presignedGetObject(this.bucket, key, expiresInSeconds, headers);
  }

  async check(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) throw new Error(`Bucket ${this.bucket} does not exist`);
  }
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchObject';
}
