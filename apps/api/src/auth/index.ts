export * from './principal';
export * from './roles.decorator';
export * from './current-principal.decorator';
export * from './api-key.authenticator';
export * from './api-key.guard';
export * from './auth.module';
export * from './console-session.store';
export * from './session-authenticator';
