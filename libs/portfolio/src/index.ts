export { ProgressService, Progress, PROGRESS_SQL } from './progress.service';
