import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Controller, Get, type DynamicModule, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { IS_PUBLIC } from '@malipo/common';
import { ROLES_KEY } from './auth/roles.decorator';

type Ctor = Type<unknown>;

function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return controllerFiles(full);
    return entry.name.endsWith('.controller.ts') ? [full] : [];
  });
}

function isController(value: unknown): value is Ctor {
  return typeof value === 'function' && Reflect.hasMetadata(PATH_METADATA, value);
}

/** Every controller reachable from a module through its imports (dynamic modules included). */
function controllersOf(root: Ctor | DynamicModule, seen = new Set<unknown>()): Ctor[] {
  if (!root || seen.has(root)) return [];
  seen.add(root);
  const dynamic = 'module' in root ? root : undefined;
  const cls = (dynamic ? dynamic.module : root) as Ctor;
  const controllers: Ctor[] = [
    ...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, cls) as Ctor[] | undefined) ?? []),
    ...(dynamic?.controllers ?? []),
  ];
  const imports = [
    ...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, cls) as unknown[] | undefined) ?? []),
    ...(dynamic?.imports ?? []),
  ];
  for (const imported of imports) {
    if (imported && typeof imported === 'object' && 'then' in imported) continue;
    controllers.push(...controllersOf(imported as Ctor | DynamicModule, seen));
  }
  return controllers;
}

/** Routes with neither @Public() nor @Roles(...), on the handler or its controller. */
function unmarkedRoutes(controller: Ctor): string[] {
  const marked = (target: object): boolean =>
    Reflect.getMetadata(IS_PUBLIC, target) === true ||
    (Reflect.getMetadata(ROLES_KEY, target) as unknown[] | undefined)?.length !== undefined;
  if (marked(controller)) return [];
  const proto = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto)
    .filter((name) => name !== 'constructor')
    .filter((name) => {
      const handler = proto[name];
      return typeof handler === 'function' && Reflect.hasMetadata(METHOD_METADATA, handler);
    })
    .filter((name) => !marked(proto[name] as object))
    .map((name) => `${controller.name}.${name}`);
}

describe('route guard coverage', () => {
  it('finds every route with neither @Public() nor @Roles() (checker self-test)', () => {
    @Controller('careless')
    class CarelessController {
      @Get()
      open(): string {
        return 'anyone';
      }
    }
    expect(unmarkedRoutes(CarelessController)).toEqual(['CarelessController.open']);
  });

  it('marks every route of every api controller with @Public() or @Roles()', async () => {
    const fromFiles: Ctor[] = [];
    for (const file of controllerFiles(__dirname)) {
      const exported = (await import(file)) as Record<string, unknown>;
      fromFiles.push(...Object.values(exported).filter(isController));
    }
    const { ApiModule } = await import('./api.module');
    const fromModules = controllersOf(ApiModule);
    const all = [...new Set([...fromFiles, ...fromModules])];

    expect(fromFiles.length).toBeGreaterThan(0);
    expect(all.map((c) => c.name)).toEqual(expect.arrayContaining(['HealthController']));
    expect(all.flatMap(unmarkedRoutes)).toEqual([]);
  });
});
