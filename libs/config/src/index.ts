export { CarnetConfig, ConfigError, loadConfig, loadConfigOrExit, CARNET_CONFIG } from './config';
