export * from './portfolio-archive';
