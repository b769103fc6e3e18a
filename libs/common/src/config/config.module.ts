import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ShutdownState } from '../bootstrap/shutdown-state';
import { AppConfig } from './app-config';
import { validateConfig } from './validate-config';

/**
 * Wraps @nestjs/config. The environment is validated synchronously while the app module is being
 * defined, so a bad variable stops the process with one line before anything connects; the rest
 * of the code injects the typed `AppConfig` instead of reading `process.env`.
 */
@Module({})
export class AppConfigModule {
  static forRoot(): DynamicModule {
    const config = validateConfig(process.env);
    return {
      module: AppConfigModule,
      global: true,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ ...config })] })],
      // The stop state is per app (tests boot several in one process), so it lives here.
      providers: [{ provide: AppConfig, useValue: config }, ShutdownState],
      exports: [AppConfig, ShutdownState],
    };
  }
}
