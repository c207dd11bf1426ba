export { ProgressService, Progress } from './progress.service';
