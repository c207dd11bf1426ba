export { CarnetConfig, ConfigError, loadConfig, loadConfigOrExit, CARNET_CONFIG } from './config';
export { softwareVersion } from './version';
