export { ProgressService, Progress, PROGRESS_SQL } from './progress.service';
export { PortfolioAccess, PortfolioRelation, PortfolioIntern, Reader, OPEN_SESSION_INTERNS_SQL, decidePortfolioRelation } from './portfolio-access';
