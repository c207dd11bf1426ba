export { InfrastructureModule, ResolvedConfig } from './infrastructure.module';
