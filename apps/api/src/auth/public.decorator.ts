export { Public } from './access.decorator';
