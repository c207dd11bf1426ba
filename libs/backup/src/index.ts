export { backup, restore, verifyBackup, BackupManifest, BackupError } from './backup';
