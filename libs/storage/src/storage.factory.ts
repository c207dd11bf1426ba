import type { CarnetConfig } from '@carnet/config';
import { LocalDriver } from './local.driver';
import { S3Driver } from './s3.driver';
import { StorageDriver } from './storage-driver.interface';

/** Builds the driver the configuration names, ready to use (bucket created, root writable). */
export async function createStorageDriver(config: CarnetConfig['storage']): Promise<StorageDriver> {
  if (config.driver === 's3') {
    const driver = new S3Driver(config);
    await driver.ensureBucket();
    return driver;
  }
  const driver = new LocalDriver(config.root);
  await driver.check();
  return driver;
}

export const STORAGE_DRIVER = Symbol('STORAGE_DRIVER');
