export { ProgressService, Progress, PROGRESS_SQL } from './progress.service';
export { PortfolioAccess, PortfolioRelation, PortfolioIntern, Reader } from './portfolio-access';
// Where the benchmarks have always found it; its home is the access SQL.
export { OPEN_SESSION_INTERNS_SQL } from '@carnet/database';
export * from './archive';
