import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'malipo:isPublic';

/** Marks a route (or controller) as reachable without an API key. Every other route is guarded. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
