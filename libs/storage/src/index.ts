export { StorageDriver, StoredObject, ObjectNotFoundError, InvalidObjectKeyError } from './storage-driver.interface';
export { LocalDriver } from './local.driver';
export { S3Driver, S3Options } from './s3.driver';
export { createStorageDriver, STORAGE_DRIVER } from './storage.factory';
