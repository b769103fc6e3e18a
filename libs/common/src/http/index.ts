export * from './public.decorator';
export * from './app-error.filter';
export * from './validation.pipe';
export * from './dates';
