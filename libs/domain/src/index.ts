export * from './errors/domain-error';
export * from './projects/project';
